package io.linuxpatch.packages.backend.dnf.sandbox;

import io.linuxpatch.packages.backend.dnf.sandbox.RpmSpec.Relation;
import io.linuxpatch.packages.backend.dnf.sandbox.RpmSpec.Scriptlet;
import java.util.List;

/**
 * The developer-mode catalogue on dnf, with the same roles as apt's {@code DemoPackages}:
 *
 * <ul>
 *   <li>{@code demo-base} 1.0-1 — installed, no update;</li>
 *   <li>{@code demo-tool} 1.0-1 installed, 1.1-1 a normal update (no advisory); its {@code %post} appends
 *       {@code configured VERSION} to {@code /var/lib/demo-tool/history} inside the root;</li>
 *   <li>{@code demo-ssl} 1.0-1 installed, 1.1-1 a security update: advisory {@value #SECURITY_ADVISORY},
 *       type security, severity Important, reference {@value #SECURITY_CVE};</li>
 *   <li>{@code demo-lib} 2.0-1 and {@code demo-app} 2.0-1 (Requires: demo-lib >= 2.0) — not installed:
 *       installing the app pulls in the library;</li>
 *   <li>{@code demo-legacy} 0.9-1 installed; {@code demo-modern} 1.0-1 (Conflicts: demo-legacy) not
 *       installed: installing it needs {@code --allowerasing} and removes demo-legacy.</li>
 * </ul>
 *
 * Plus {@code sandbox-sh} ({@link SandboxShell}), installed from the start so that scriptlets have a shell
 * and so that removing the last package with a scriptlet never removes the shell as an unused dependency.
 */
public final class DnfDemoPackages {

  public static final String REPOSITORY_ID = "demo";
  public static final String SECURITY_ADVISORY = "DEMO-2026:0001";
  public static final String SECURITY_CVE = "CVE-2026-0001";

  /** What {@code dnf install} receives to set up the initial state (exact versions: 1.0-1, not 1.1-1). */
  public static final List<String> INITIALLY_INSTALLED = List.of(SandboxShell.NAME, "demo-base-1.0-1",
      "demo-tool-1.0-1", "demo-ssl-1.0-1", "demo-legacy-0.9-1");

  private DnfDemoPackages() {
  }

  /** Every demo package version the repository publishes ({@code sandbox-sh} aside). */
  public static List<RpmSpec> catalogue() {
    return List.of(
        documented(RpmSpec.of("demo-base", "1.0", "1", "demo base files")
            .withDescription("Installed from the start and never updated.")),
        tool("1.0"),
        tool("1.1"),
        ssl("1.0"),
        ssl("1.1"),
        documented(RpmSpec.of("demo-lib", "2.0", "1", "demo shared library")
            .withDescription("A dependency of demo-app.")),
        documented(RpmSpec.of("demo-app", "2.0", "1", "demo application")
            .withDescription("Not installed at first; installing it pulls in demo-lib.")
            .with(Relation.REQUIRES, "demo-lib >= 2.0")),
        documented(RpmSpec.of("demo-legacy", "0.9", "1", "demo legacy tool")
            .withDescription("Installed at first; demo-modern conflicts with it.")),
        documented(RpmSpec.of("demo-modern", "1.0", "1", "demo modern tool")
            .withDescription("Installing it removes demo-legacy (with --allowerasing).")
            .with(Relation.CONFLICTS, "demo-legacy")));
  }

  /** The repository's updateinfo: the security advisory of demo-ssl 1.1-1. */
  public static List<UpdateAdvisory> advisories() {
    return List.of(new UpdateAdvisory(SECURITY_ADVISORY, "security", "Important",
        "Important: demo-ssl security update", "2026-01-10 00:00:00",
        "Fixes " + SECURITY_CVE + " in demo-ssl.", List.of(SECURITY_CVE), List.of(ssl("1.1"))));
  }

  /**
   * A package whose scriptlet fails on purpose (prints a line on stderr, then exits 1): with a failing
   * {@code %post} rpm still installs it and dnf exits 0; with a failing {@code %pre} the transaction fails.
   */
  public static RpmSpec failingScriptlet(String name, Scriptlet which) {
    return RpmSpec.of(name, "1.0", "1", "fails its " + which.section() + " scriptlet on purpose")
        .withScriptlet(which, "echo \"" + name + ": failing on purpose\" >&2\nexit 1\n");
  }

  private static RpmSpec tool(String version) {
    return documented(RpmSpec.of("demo-tool", version, "1", "demo command-line tool")
        .withDescription("Has a normal update without an advisory.")
        .withUrl("https://example.invalid/demo-tool")
        .withDirectory("/var/lib/demo-tool")
        // chrooted dash: built-ins only, into a directory the package owns
        .withScriptlet(Scriptlet.POST, "echo \"configured " + version + "\" >> /var/lib/demo-tool/history\n"));
  }

  private static RpmSpec ssl(String version) {
    return documented(RpmSpec.of("demo-ssl", version, "1", "demo TLS library")
        .withDescription("Has a security update with advisory " + SECURITY_ADVISORY + ".")
        .withUrl("https://example.invalid/demo-ssl"));
  }

  private static RpmSpec documented(RpmSpec spec) {
    return spec.withFile(RpmSpec.RpmFile.text("/usr/share/doc/" + spec.name() + "/README",
        spec.name() + " " + spec.version() + " - part of the linux-patch-api developer-mode sandbox.\n"));
  }
}
