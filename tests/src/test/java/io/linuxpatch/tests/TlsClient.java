package io.linuxpatch.tests;

import io.linuxpatch.pki.IssuedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A deliberately raw HTTPS/1.1 client over a JDK {@link SSLSocket}: it can present any certificate (or
 * none), bind any loopback source address, send exactly the bytes a test wants (oversized or duplicate
 * headers) and count every byte the server sends back, which a high-level client would hide. Every answer it
 * reads is checked against the agent's OpenAPI document ({@link DocumentedAnswers}, API-9).
 */
final class TlsClient implements AutoCloseable {

  /** A parsed HTTP response. */
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final SSLSocket socket;
  private final InputStream in;
  private final OutputStream out;

  private TlsClient(SSLSocket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static SSLContext context(IssuedCertificate identity, X509Certificate trustedCa) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    if (identity != null) {
      keys.setKeyEntry("client", identity.privateKey(), new char[0], new Certificate[] {identity.certificate()});
    }
    kmf.init(keys, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", trustedCa);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new javax.net.ssl.KeyManager[] {presentAlways((javax.net.ssl.X509ExtendedKeyManager) kmf.getKeyManagers()[0])},
        tmf.getTrustManagers(), null);
    return context;
  }

  /**
   * The identity's key manager without the JDK's issuer filter: a client normally presents only a certificate
   * of a CA the server names in its request, but the tests must present the bad ones too (self-signed, other CA).
   */
  private static javax.net.ssl.X509ExtendedKeyManager presentAlways(javax.net.ssl.X509ExtendedKeyManager keys) {
    return new javax.net.ssl.X509ExtendedKeyManager() {
      @Override
      public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, Socket socket) {
        return keys.chooseClientAlias(keyType, null, socket);
      }

      @Override
      public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
        return keys.chooseEngineClientAlias(keyType, null, engine);
      }

      @Override
      public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
        return keys.getClientAliases(keyType, null);
      }

      @Override
      public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
        return keys.getServerAliases(keyType, issuers);
      }

      @Override
      public String chooseServerAlias(String keyType, java.security.Principal[] issuers, Socket socket) {
        return keys.chooseServerAlias(keyType, issuers, socket);
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return keys.getCertificateChain(alias);
      }

      @Override
      public java.security.PrivateKey getPrivateKey(String alias) {
        return keys.getPrivateKey(alias);
      }
    };
  }

  /** Connects from {@code source} and completes the TLS handshake (as far as the client can tell). */
  static TlsClient connect(SSLContext context, String source, int port, String... protocols) throws IOException {
    Socket plain = new Socket();
    plain.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
    plain.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
    plain.setSoTimeout(5_000);
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", port, true);
    tls.setEnabledProtocols(protocols.length == 0 ? new String[] {"TLSv1.3"} : protocols);
    tls.startHandshake();
    return new TlsClient(tls);
  }

  Response get(String path, String... extraHeaderLines) throws IOException {
    return exchange("GET", path, null, extraHeaderLines);
  }

  Response exchange(String method, String path, String body, String... extraHeaderLines) throws IOException {
    StringBuilder request = new StringBuilder();
    request.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
    for (String line : extraHeaderLines) {
      request.append(line).append("\r\n");
    }
    byte[] bodyBytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      request.append("Content-Length: ").append(bodyBytes.length).append("\r\n");
    }
    request.append("\r\n");
    out.write(request.toString().getBytes(StandardCharsets.UTF_8));
    out.write(bodyBytes);
    out.flush();
    return documented(method, path, readResponse());
  }

  /** The answer, once checked against what the document says {@code method} on {@code target} answers. */
  private static Response documented(String method, String target, Response response) {
    DocumentedAnswers.check(method, target, response.status(), response.headers(), response.body());
    return response;
  }

  private Response readResponse() throws IOException {
    String statusLine = readLine();
    if (statusLine == null) {
      throw new IOException("connection closed before any response byte");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    String line;
    while ((line = readLine()) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * Tries a whole exchange with {@code identity} and returns every application byte the server sent: the
   * handshake may "succeed" on the client side under TLS 1.3 and fail on the first read, so both the
   * handshake and the request are attempted, and any failure simply ends the count.
   */
  static byte[] applicationBytes(SSLContext context, int port, String... protocols) {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try (TlsClient client = connect(context, "127.0.0.1", port, protocols)) {
      client.out.write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      client.out.flush();
      byte[] buffer = new byte[4096];
      int n;
      while ((n = client.in.read(buffer)) != -1) {
        received.write(buffer, 0, n);
      }
    } catch (IOException expected) {
      // Handshake or read failed: what was received so far is the answer.
    }
    return received.toByteArray();
  }

  /**
   * The TLS alert the server answers an exchange with {@code context}'s certificate with (its description as the
   * JDK names it, e.g. {@code unknown_ca}), or null when no alert came. Under TLS 1.3 the client learns of a
   * refused certificate on its first read, so the request is sent and read as in {@link #applicationBytes}.
   */
  static String refusalAlert(SSLContext context, int port) {
    try (TlsClient client = connect(context, "127.0.0.1", port)) {
      client.out.write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      client.out.flush();
      while (client.in.read() != -1) {
        // An answer instead of an alert: read it to the end.
      }
      return null;
    } catch (IOException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        java.util.regex.Matcher alert = java.util.regex.Pattern.compile("Received fatal alert: (\\w+)")
            .matcher(String.valueOf(t.getMessage()));
        if (alert.find()) {
          return alert.group(1);
        }
      }
      return null;
    }
  }

  /**
   * Opens a plain TCP connection from {@code source}, sends the first bytes of a TLS ClientHello and
   * returns how many bytes come back before the server closes (SEC-3 wants 0).
   */
  static int rawBytesFrom(String source, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
      int count = 0;
      try {
        // The reset of a dropped peer can arrive while connect() is still finishing: also 0 bytes.
        socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
        socket.setSoTimeout(3_000);
        socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o'});
        socket.getOutputStream().flush();
        while (socket.getInputStream().read() != -1) {
          count++;
        }
      } catch (SocketTimeoutException | java.net.SocketException closedOrReset) {
        // A reset (SO_LINGER 0) or a silent server both mean: nothing more will come.
      }
      return count;
    }
  }

  /**
   * Waits up to {@code seconds} for the server to close this connection: true when it did (end of stream
   * or reset), false when the connection was still open and silent at the end.
   */
  boolean closedByServerWithin(int seconds) throws IOException {
    socket.setSoTimeout(seconds * 1000);
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  /** Sends {@code text} as it is (a request a well-behaved client would not write) and reads one response. */
  Response rawExchange(String text) throws IOException {
    sendRaw(text);
    // The request line names the operation whose answer this is (also when the codec refused the request).
    String[] requestLine = text.substring(0, Math.max(0, text.indexOf("\r\n"))).split(" ");
    Response response = readResponse();
    return documented(requestLine[0], requestLine.length >= 2 ? requestLine[1] : "", response);
  }

  /** Sends raw bytes as they are (e.g. an incomplete request). */
  void sendRaw(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** The certificate the server presented in this connection's handshake. */
  X509Certificate serverCertificate() throws IOException {
    return (X509Certificate) socket.getSession().getPeerCertificates()[0];
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
