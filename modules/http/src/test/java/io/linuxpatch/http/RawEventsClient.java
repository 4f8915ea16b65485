package io.linuxpatch.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;

/**
 * A job-events client on a plain TLS socket that the test controls byte by byte: it upgrades, subscribes to
 * every job, waits for the pong that says the subscription is in place, and from then on reads only when the
 * test says so — a client that never reads, as an abusive or hung one would be.
 */
final class RawEventsClient implements AutoCloseable {

  private final SSLSocket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawEventsClient(SSLSocket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    this.out = socket.getOutputStream();
  }

  /** Connected, upgraded and subscribed to every job of {@code server}. */
  static RawEventsClient subscribed(JobEventsServer server) throws Exception {
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress("127.0.0.1", server.port), 5_000);
    SSLSocket tls = (SSLSocket) server.pki.clientContext().getSocketFactory()
        .createSocket(plain, "localhost", server.port, true);
    tls.setSoTimeout(10_000);
    RawEventsClient client = new RawEventsClient(tls);
    client.out.write(("GET " + JobEventsServer.PATH + " HTTP/1.1\r\nHost: localhost:" + server.port + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    client.out.flush();
    String head = client.head();
    if (!head.startsWith("HTTP/1.1 101")) {
      throw new IOException("not upgraded: " + head);
    }
    client.sendText("{\"type\":\"subscribe_all\"}");
    client.sendText("{\"type\":\"ping\"}");
    while (!client.nextText().contains("pong")) {
      // Events published meanwhile; the pong follows them.
    }
    return client;
  }

  /** The local port, which the server sees as the peer's port. */
  int localPort() {
    return socket.getLocalPort();
  }

  /** A masked text frame (RFC 6455: a client masks every frame; a zero mask leaves the payload as it is). */
  void sendText(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    if (payload.length > 125) {
      throw new IllegalArgumentException("short messages only");
    }
    out.write(new byte[] {(byte) 0x81, (byte) (0x80 | payload.length), 0, 0, 0, 0});
    out.write(payload);
    out.flush();
  }

  /** The payload of the next text frame (other frames skipped). */
  String nextText() throws IOException {
    while (true) {
      int first = in.readUnsignedByte();
      int second = in.readUnsignedByte();
      long length = second & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = in.readNBytes((int) length);
      if ((first & 0x0f) == 0x1) {
        return new String(payload, StandardCharsets.UTF_8);
      }
    }
  }

  private String head() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    while (!bytes.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      bytes.write(in.readUnsignedByte());
    }
    return bytes.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
