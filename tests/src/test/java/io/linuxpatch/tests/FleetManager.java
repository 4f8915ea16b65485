package io.linuxpatch.tests;

import io.linuxpatch.pki.CertificateAuthority;
import io.linuxpatch.pki.IssuedCertificate;
import io.linuxpatch.pki.LeafSpec;
import io.linuxpatch.pki.PemFiles;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A fleet manager for the tests: a real HTTPS server (Vert.x, its own certificate from a "manager TLS CA", client
 * certificates requested and checked against the fleet CA) speaking exactly the enrollment protocol of ENR. What it
 * answers is scripted per endpoint (a queue; when empty: accept, approve); every request is recorded with its time,
 * body, client certificate and peer, so that tests can measure back-off and check what the agent sent. Approval
 * certifies the public key of the registration's CSR with the fleet CA — the manager never sees the agent's key.
 */
final class FleetManager implements AutoCloseable {

  /** One request as it arrived. */
  record Seen(Instant at, String method, String path, String body, X509Certificate clientCertificate, String peer) {
    JsonObject json() {
      return new JsonObject(body);
    }

    boolean registration() {
      return method.equals("POST");
    }
  }

  /** One registration: its token, the CSR's key and the body. */
  record Registration(String token, PublicKey csrKey, JsonObject body, X509Certificate clientCertificate) {}

  /** A scripted answer. */
  @FunctionalInterface
  interface Answer {
    void answer(HttpServerRequest request, FleetManager manager, Registration registration);
  }

  final CertificateAuthority fleetCa;
  /** The CA of the manager's own TLS certificate: what {@code enrollment.manager_ca} names. */
  final CertificateAuthority tlsCa;
  final Path tlsCaFile;
  final String host;
  final int port;
  final Deque<Answer> enrollAnswers = new ConcurrentLinkedDeque<>();
  final Deque<Answer> statusAnswers = new ConcurrentLinkedDeque<>();
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  final Map<String, Registration> registrations = new ConcurrentHashMap<>();
  /** While true every status poll is answered "pending": the test decides when the manager approves. */
  volatile boolean holding;
  /** The validity the manager gives a certificate. */
  volatile Duration validity = Duration.ofDays(90);
  private final IssuedCertificate tlsIdentity;
  private final Vertx vertx = Vertx.vertx();
  private HttpServer server;

  private FleetManager(CertificateAuthority fleetCa, CertificateAuthority tlsCa, IssuedCertificate tlsIdentity,
      Path tlsCaFile, String host, int port) {
    this.fleetCa = fleetCa;
    this.tlsCa = tlsCa;
    this.tlsIdentity = tlsIdentity;
    this.tlsCaFile = tlsCaFile;
    this.host = host;
    this.port = port;
  }

  /** An HTTPS manager on {@code host} whose certificate (SAN: that address) comes from a CA of its own. */
  static FleetManager https(Path dir, CertificateAuthority fleetCa, String host) throws Exception {
    CertificateAuthority tlsCa = CertificateAuthority.create("fleet manager TLS CA", Duration.ofDays(30));
    return https(dir, fleetCa, tlsCa, tlsCa.issue(LeafSpec.server("fleet-manager").withDnsNames()
        .withIpAddresses(host)), host);
  }

  /** An HTTPS manager presenting {@code identity} (e.g. one of another CA, or for another name). */
  static FleetManager https(Path dir, CertificateAuthority fleetCa, CertificateAuthority tlsCa,
      IssuedCertificate identity, String host) throws Exception {
    Files.createDirectories(dir);
    Path caFile = dir.resolve("manager-ca-" + UUID.randomUUID() + ".pem");
    Files.writeString(caFile, PemFiles.encode(tlsCa.certificate()));
    FleetManager manager = new FleetManager(fleetCa, tlsCa, identity, caFile, host, AgentUnderTest.freePort());
    manager.up();
    return manager;
  }

  /** A plain-HTTP manager (allowed on 127.0.0.1 and [::1] only). */
  static FleetManager plain(CertificateAuthority fleetCa) throws Exception {
    FleetManager manager = new FleetManager(fleetCa, null, null, null, "127.0.0.1", AgentUnderTest.freePort());
    manager.up();
    return manager;
  }

  String url() {
    return (tlsIdentity == null ? "http://" : "https://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Listens (again) on the same port. */
  void up() throws Exception {
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port);
    if (tlsIdentity != null) {
      options.setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(tlsIdentity.certificatePem()))
              .setKeyValue(Buffer.buffer(tlsIdentity.privateKeyPem())))
          .setClientAuth(ClientAuth.REQUEST)
          .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(PemFiles.encode(fleetCa.certificate()))));
    }
    server = vertx.createHttpServer(options).requestHandler(this::handle).listen().await(10, TimeUnit.SECONDS);
  }

  /** Stops listening: the agent sees connection refused. */
  void down() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }

  List<Seen> registrationsSeen() {
    return seen.stream().filter(Seen::registration).toList();
  }

  List<Seen> pollsSeen() {
    return seen.stream().filter(s -> !s.registration()).toList();
  }

  /** Every token handed out, in order. */
  List<String> tokens() {
    List<String> tokens = new ArrayList<>();
    for (Seen s : seen) {
      if (!s.registration() && s.path().startsWith("/api/v1/enroll/status/")) {
        String token = s.path().substring("/api/v1/enroll/status/".length());
        if (!tokens.contains(token)) {
          tokens.add(token);
        }
      }
    }
    return tokens;
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      X509Certificate client = null;
      try {
        if (request.isSSL() && request.connection().peerCertificates() != null
            && !request.connection().peerCertificates().isEmpty()) {
          client = (X509Certificate) request.connection().peerCertificates().get(0);
        }
      } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
        // no client certificate: a first enrollment
      }
      seen.add(new Seen(Instant.now(), request.method().name(), request.path(), body.toString(), client,
          request.remoteAddress().hostAddress()));
      if (request.method().name().equals("POST") && request.path().equals("/api/v1/enroll")) {
        Answer answer = enrollAnswers.poll();
        (answer == null ? accept() : answer).answer(request, this, registrationOf(body, client));
      } else if (request.method().name().equals("GET") && request.path().startsWith("/api/v1/enroll/status/")) {
        String token = request.path().substring("/api/v1/enroll/status/".length());
        Registration registration = registrations.get(token);
        if (registration == null) {
          json(request, 404, new JsonObject().put("error", "unknown token"));
          return;
        }
        Answer answer = holding ? pending() : statusAnswers.poll();
        (answer == null ? approve() : answer).answer(request, this, registration);
      } else {
        json(request, 404, new JsonObject().put("error", "no such endpoint"));
      }
    });
  }

  private Registration registrationOf(Buffer body, X509Certificate client) {
    JsonObject json = new JsonObject(body);
    PublicKey key = null;
    if (json.getString("csr") != null) {
      try (PEMParser parser = new PEMParser(new StringReader(json.getString("csr")))) {
        PKCS10CertificationRequest csr = (PKCS10CertificationRequest) parser.readObject();
        key = new JcaPKCS10CertificationRequest(csr).getPublicKey();
        if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
          throw new IllegalStateException("the CSR's signature does not verify");
        }
      } catch (Exception e) {
        throw new IllegalStateException("the agent sent an unusable CSR", e);
      }
    }
    return new Registration("tok-" + UUID.randomUUID() + "-secret", key, json, client);
  }

  static void json(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  // --- scripted answers -----------------------------------------------------------------------------------

  /** 202 with a fresh polling token. */
  static Answer accept() {
    return (request, manager, registration) -> {
      manager.registrations.put(registration.token(), registration);
      json(request, 202, new JsonObject().put("polling_token", registration.token()));
    };
  }

  /** Any status and body. */
  static Answer answer(int status, JsonObject body) {
    return (request, manager, registration) -> json(request, status, body);
  }

  /** 429, with Retry-After when {@code seconds} is not null. */
  static Answer tooMany(Integer seconds) {
    return (request, manager, registration) -> {
      if (seconds != null) {
        request.response().putHeader("Retry-After", String.valueOf(seconds));
      }
      json(request, 429, new JsonObject().put("error", "slow down"));
    };
  }

  static Answer serverError() {
    return answer(503, new JsonObject().put("error", "maintenance"));
  }

  static Answer pending() {
    return answer(200, new JsonObject().put("status", "pending"));
  }

  static Answer denied() {
    return answer(200, new JsonObject().put("status", "denied").put("message", "not one of ours"));
  }

  /** The token is no longer known: HTTP 404. */
  static Answer gone() {
    return (request, manager, registration) -> {
      manager.registrations.remove(registration.token());
      json(request, 404, new JsonObject().put("error", "unknown token"));
    };
  }

  /** Approved: the CSR's key certified by the fleet CA (serverAuth+clientAuth, SANs localhost/127.0.0.1/::1). */
  static Answer approve() {
    return approveWith((manager, registration) -> new JsonObject().put("status", "approved")
        .put("ca_crt", PemFiles.encode(manager.fleetCa.certificate()))
        .put("server_crt", PemFiles.encode(manager.fleetCa.certify(manager.hostSpec(), registration.csrKey()))));
  }

  /** Approved the original way: the manager made the key and sends it. */
  static Answer approveWithManagerKey() {
    return approveWith((manager, registration) -> {
      IssuedCertificate issued = manager.fleetCa.issue(manager.hostSpec());
      return new JsonObject().put("status", "approved").put("ca_crt", PemFiles.encode(manager.fleetCa.certificate()))
          .put("server_crt", issued.certificatePem()).put("server_key", issued.privateKeyPem());
    });
  }

  /** Approved with whatever material {@code body} makes. */
  static Answer approveWith(java.util.function.BiFunction<FleetManager, Registration, JsonObject> body) {
    return (request, manager, registration) -> json(request, 200, body.apply(manager, registration));
  }

  LeafSpec hostSpec() {
    Instant notBefore = Instant.now().minus(Duration.ofHours(1));
    return LeafSpec.server("localhost").withValidity(notBefore, notBefore.plus(validity));
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
