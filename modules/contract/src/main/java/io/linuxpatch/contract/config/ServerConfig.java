package io.linuxpatch.contract.config;

/**
 * {@code server} section (SEC-1, SEC-7, API-8).
 *
 * @param bind                   address to listen on
 * @param port                   API port (the only port of a non-clustered agent)
 * @param idleTimeoutSeconds     an idle connection is closed after this long
 * @param requestTimeoutSeconds  a request that has not arrived completely within this long is dropped
 * @param http2                  offer HTTP/2 through ALPN beside HTTP/1.1
 * @param instances              HTTP verticle instances; 0 = one per core
 */
public record ServerConfig(String bind, int port, int idleTimeoutSeconds, int requestTimeoutSeconds,
    boolean http2, int instances) {

  static ServerConfig read(ConfigReader r) {
    ServerConfig c = new ServerConfig(
        r.nonEmptyString("bind", "0.0.0.0"),
        r.integer("port", 12443, 1, 65535),
        r.integer("idle_timeout_seconds", 60, 1, 3600),
        r.integer("request_timeout_seconds", 10, 1, 300),
        r.bool("http2", true),
        r.integer("instances", 0, 0, 64));
    r.rejectUnknownKeys();
    return c;
  }
}
