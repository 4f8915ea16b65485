package io.linuxpatch.contract.config;

import java.util.Set;

/**
 * {@code tls} section (SEC-1, SEC-2): the CA that client certificates must chain to, the server's own
 * certificate and key, an optional CRL, and the lowest protocol version offered.
 */
public record TlsConfig(String caCert, String serverCert, String serverKey, String crlPath, String minVersion) {

  static TlsConfig read(ConfigReader r) {
    TlsConfig c = new TlsConfig(
        r.path("ca_cert", "/etc/linux_patch_api/certs/ca.pem"),
        r.path("server_cert", "/etc/linux_patch_api/certs/server.pem"),
        r.path("server_key", "/etc/linux_patch_api/certs/server.key.pem"),
        r.path("crl_path", null),
        r.oneOf("min_version", "1.3", "1.2", "1.3"));
    r.rejectUnknownKeys();
    return c;
  }

  /** The JSSE protocol names enabled by {@link #minVersion}. */
  public Set<String> protocols() {
    return "1.2".equals(minVersion) ? Set.of("TLSv1.2", "TLSv1.3") : Set.of("TLSv1.3");
  }
}
