package io.linuxpatch.fleet;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The certificate options every client command shares ({@code fleet …}, {@code watch}): the developer-mode directory
 * by default, or explicit PEM files.
 */
public final class ClientCertificateOptions {

  @Option(names = "--dir", paramLabel = "DIR", description = "developer-mode directory with certs/ (default: ${DEFAULT-VALUE})")
  Path dir = Path.of(".dev");

  @Option(names = "--cert", paramLabel = "PEM", description = "client certificate (default: DIR/certs/client.pem)")
  Path cert;

  @Option(names = "--key", paramLabel = "PEM", description = "client key (default: DIR/certs/client.key.pem)")
  Path key;

  @Option(names = "--ca", paramLabel = "PEM", description = "CA certificate of the agents (default: DIR/certs/ca.pem)")
  Path ca;

  public ClientTls tls() {
    return ClientTls.of(dir, cert, key, ca);
  }
}
