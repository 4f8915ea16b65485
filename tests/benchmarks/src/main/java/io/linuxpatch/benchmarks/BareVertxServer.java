package io.linuxpatch.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

/**
 * The Vert.x stack's ceiling for the load benchmark's {@code /health} rows (issue 16): a Vert.x HTTPS server with
 * the agent's TLS (BoringSSL through netty-tcnative, TLS 1.3, client certificates required from the same CA, ALPN
 * h2 and http/1.1), one verticle per core like the agent, answering every request with the same bytes as the
 * agent's {@code /health} answer, and nothing else: no router, no allow-list, no access check, no envelope, no
 * request log. With {@code metrics}, Vert.x' Micrometer HTTP meters are on with the agent's labels. Run with the
 * agent's JVM flags, its requests per second against nginx's say how far any Vert.x agent could go.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.linuxpatch.benchmarks.BareVertxServer PORT CERT_DIR BODY_FILE
 * [metrics]}, CERT_DIR holding {@code ca.pem}, {@code server.pem} and {@code server.key.pem}.
 */
public final class BareVertxServer extends AbstractVerticle {

  private final HttpServerOptions options;
  private final Buffer body;

  private BareVertxServer(HttpServerOptions options, Buffer body) {
    this.options = options;
    this.body = body;
  }

  @Override
  public void start(io.vertx.core.Promise<Void> started) {
    vertx.createHttpServer(options)
        .requestHandler(request -> request.response()
            .putHeader("content-type", "application/json")
            .end(body))
        .listen()
        .<Void>mapEmpty()
        .onComplete(started);
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: BareVertxServer PORT CERT_DIR BODY_FILE [metrics]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    Path certs = Path.of(args[1]);
    Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(args[2])));
    boolean metrics = args.length > 3 && args[3].equals("metrics");
    HttpServerOptions options = new HttpServerOptions()
        .setHost("127.0.0.1")
        .setPort(port)
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certs.resolve("server.pem").toString())
            .setKeyPath(certs.resolve("server.key.pem").toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(certs.resolve("ca.pem").toString()))
        .setSslEngineOptions(new OpenSSLEngineOptions())
        .setEnabledSecureTransportProtocols(java.util.Set.of("TLSv1.3"))
        .setTcpNoDelay(true)
        .setUseAlpn(true)
        .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    VertxOptions vertxOptions = new VertxOptions().setPreferNativeTransport(true);
    VertxBuilder builder = Vertx.builder();
    if (metrics) {
      vertxOptions.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
          .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
          .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE)));
      builder.withMetrics(new MicrometerMetricsFactory(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
    }
    Vertx vertx = builder.with(vertxOptions).build();
    int instances = Runtime.getRuntime().availableProcessors();
    vertx.deployVerticle(() -> new BareVertxServer(options, body), new DeploymentOptions().setInstances(instances))
        .await();
    System.out.println("bare Vert.x HTTPS server on port " + port + (metrics ? " with HTTP meters" : "")
        + ", " + instances + " verticles, TLS engine " + (OpenSSLEngineOptions.isAvailable() ? "openssl" : "jdk"));
  }
}
