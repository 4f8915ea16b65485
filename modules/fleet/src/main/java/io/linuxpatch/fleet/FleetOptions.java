package io.linuxpatch.fleet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every {@code fleet} subcommand takes: which hosts, which client certificate, JSON or text. */
public final class FleetOptions {

  @Option(names = "--hosts", paramLabel = "FILE", description = "agent URLs, one per line (# comments)")
  Path hostsFile;

  @Option(names = "--host", paramLabel = "URL", description = "an agent URL (https://HOST[:PORT]); repeatable")
  List<String> hostUrls = new ArrayList<>();

  @Mixin
  ClientCertificateOptions certificates = new ClientCertificateOptions();

  @Option(names = "--json", description = "JSON lines (one per host or event) instead of tables")
  boolean json;

  @Option(names = "--parallel", paramLabel = "N", description = "hosts asked at the same time (default: ${DEFAULT-VALUE})")
  int parallel = 16;

  List<Host> hosts() throws IOException {
    return HostList.of(hostsFile, hostUrls);
  }

  AgentClient client() {
    return new AgentClient(certificates.tls());
  }

  static PrintStream out() {
    return new PrintStream(System.out, true, StandardCharsets.UTF_8);
  }
}
