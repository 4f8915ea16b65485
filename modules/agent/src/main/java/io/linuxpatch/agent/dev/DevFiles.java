package io.linuxpatch.agent.dev;

import io.linuxpatch.packages.backend.apt.sandbox.DemoSandbox;
import io.linuxpatch.packages.backend.apt.sandbox.SandboxRoot;
import io.linuxpatch.packages.sandbox.SandboxConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The text of the files developer mode writes: a complete config (its own client granted admin) and a
 * loopback-only allow-list.
 */
public final class DevFiles {

  private DevFiles() {}

  static String whitelist() {
    return """
        # Allow-list written by `linux-patch-api dev`: only this machine may connect.
        # Entries: IPv4/IPv6 addresses, CIDR blocks, host names. Edits apply within 2 s, no restart.
        entries:
          - 127.0.0.1
          - ::1
        """;
  }

  static String config(DevSetup.Layout layout, int port, String bind, SandboxConfig sandbox) {
    return """
        # Developer-mode configuration written by `linux-patch-api dev`.
        # Complete on purpose: `java -jar linux-patch-api.jar --config %1$s` runs the same agent from any directory.
        # Edits apply within a second (bind and port need a restart).
        server:
          bind: "%2$s"
          port: %3$d
        tls:
          ca_cert: %4$s
          server_cert: %5$s
          server_key: %6$s
          min_version: "1.3"
        whitelist:
          path: %7$s
        authorization:
          # Developer mode's own client (certs/client.pem, CN dev-client) may do everything, as the README's
          # walkthrough needs. Without this section clients could only read. A CN names every certificate this
          # CA ever signs with that name; this CA is developer mode's own. To name exactly one certificate:
          #   "sha256:FINGERPRINT": admin   (openssl x509 -in certs/client.pem -noout -fingerprint -sha256)
          clients:
            "%13$s": admin
        data_dir: %8$s
        logging:
          level: info
          audit_path: %9$s
        package_manager:
          # Never the host's package database in developer mode (OPS-3): the demo sandbox under DIR/sandbox.
        %12$s%14$s
        system:
          # Developer mode must never reboot the machine: this only records that a reboot was requested.
          reboot_command: ["/usr/bin/touch", "%10$s"]
          reboot_required_file: %11$s
        metrics:
          enabled: true
        """.formatted(layout.config(), bind, port, layout.caCert(), layout.serverCert(), layout.serverKey(),
        layout.whitelist(), layout.data(), layout.auditLog(),
        layout.data().resolve("reboot-requested"), layout.data().resolve("reboot-required"),
        packageManagerSection(sandbox), DevSetup.CLIENT_NAME, patchesSection(sandbox));
  }

  /**
   * The body of the {@code package_manager} section (indented two spaces) that points the agent at a demo
   * sandbox, or says {@code backend: none} without one; the end-to-end tests write the same section.
   */
  public static String packageManagerSection(DemoSandbox sandbox) {
    return packageManagerSection(sandbox == null ? null : sandbox.config());
  }

  /** The same section for any backend's sandbox. */
  public static String packageManagerSection(SandboxConfig sandbox) {
    if (sandbox == null) {
      return "  backend: none\n";
    }
    return packageManagerSection(sandbox.backend(), sandbox.root(), sandbox.env(), sandbox.options());
  }

  /** The same section for any apt sandbox root (the real-scale one of the tests and the benchmark). */
  public static String packageManagerSection(SandboxRoot sandbox) {
    return packageManagerSection("apt", sandbox.root(), sandbox.aptEnvironment(), sandbox.dpkgOptions());
  }

  /** A top-level {@code patches} section naming the sandbox's advisory feed, empty when it has none. */
  static String patchesSection(SandboxConfig sandbox) {
    if (sandbox == null || sandbox.advisoryFeed() == null) {
      return "";
    }
    return "patches:\n  # The demo's advisory feed: demo-ssl's CVE and severity.\n  advisory_feed: \""
        + sandbox.advisoryFeed() + "\"\n";
  }

  private static String packageManagerSection(String backend, Path root, Map<String, String> env,
      List<String> options) {
    StringBuilder yaml = new StringBuilder("  backend: " + backend + "\n  root: \"" + root + "\"\n  env:\n");
    env.forEach((k, v) -> yaml.append("    ").append(k).append(": \"").append(v).append("\"\n"));
    yaml.append("  options:\n");
    options.forEach(o -> yaml.append("    - \"").append(o).append("\"\n"));
    return yaml.toString();
  }
}
