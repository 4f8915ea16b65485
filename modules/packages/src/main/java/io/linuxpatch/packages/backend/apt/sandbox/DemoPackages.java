package io.linuxpatch.packages.backend.apt.sandbox;

import java.util.List;

/**
 * The developer-mode catalogue: which demo package versions go into which suite, and which versions start
 * installed, chosen so that every kind of plan has something to show.
 *
 * <ul>
 *   <li>{@code demo-base} 1.0 — installed, no update;</li>
 *   <li>{@code demo-tool} 1.0 installed, 1.1 a normal update from {@code stable} (its postinst records
 *       each configure under {@code $DPKG_ROOT/var/lib/demo-tool/});</li>
 *   <li>{@code demo-ssl} 1.0 installed, 1.0+deb1 a security update from {@code stable-security};</li>
 *   <li>{@code demo-lib} 2.0 and {@code demo-app} 2.0 (Depends demo-lib) — not installed: installing the
 *       app pulls in the library;</li>
 *   <li>{@code demo-legacy} 0.9 installed, Conflicts demo-modern; {@code demo-modern} 1.0 not installed:
 *       installing it plans the removal of demo-legacy.</li>
 * </ul>
 */
public final class DemoPackages {

  public static final RepositorySuite STABLE = new RepositorySuite("stable", "demo", "1.0");
  public static final RepositorySuite STABLE_SECURITY = new RepositorySuite("stable-security", "demo-security", "1.0");
  public static final String ORIGIN = "Demo";
  public static final String LABEL = "Demo";

  /** One version placed in one suite. */
  public record Placement(String suite, DebPackage pkg) {
  }

  /** What {@code apt-get install} receives to set up the initial state (exact versions, so 1.0 not 1.1). */
  public static final List<String> INITIALLY_INSTALLED =
      List.of("demo-base=1.0", "demo-tool=1.0", "demo-ssl=1.0", "demo-legacy=0.9");

  private DemoPackages() {
  }

  /** Every version the demo repository publishes, in the order they are added. */
  public static List<Placement> placements() {
    return List.of(
        new Placement(STABLE.name(), documented(DebPackage.of("demo-base", "1.0",
            "demo base files\nInstalled from the start and never updated.")
            .withPriority("important"))),
        new Placement(STABLE.name(), tool("1.0")),
        new Placement(STABLE.name(), tool("1.1")),
        new Placement(STABLE.name(), ssl("1.0")),
        new Placement(STABLE_SECURITY.name(), ssl("1.0+deb1")),
        new Placement(STABLE.name(), documented(DebPackage.of("demo-lib", "2.0",
            "demo shared library\nA dependency of demo-app.").withSection("libs"))),
        new Placement(STABLE.name(), documented(DebPackage.of("demo-app", "2.0",
            "demo application\nNot installed at first; installing it pulls in demo-lib.")
            .withDepends("demo-lib (>= 2.0)"))),
        new Placement(STABLE.name(), documented(DebPackage.of("demo-legacy", "0.9",
            "demo legacy tool\nInstalled at first; conflicts with demo-modern.")
            .withConflicts("demo-modern"))),
        new Placement(STABLE.name(), documented(DebPackage.of("demo-modern", "1.0",
            "demo modern tool\nInstalling it removes demo-legacy."))));
  }

  private static DebPackage tool(String version) {
    return documented(DebPackage.of("demo-tool", version, "demo command-line tool\nHas a normal update in stable.")
        .withSection("utils")
        .withHomepage("https://example.invalid/demo-tool")
        // Scripts run chrootless (see SandboxRoot): everything they touch must be below $DPKG_ROOT.
        .withPostinst("""
            if [ "$1" = configure ]; then
              mkdir -p "$DPKG_ROOT/var/lib/demo-tool"
              echo "configured %s" >> "$DPKG_ROOT/var/lib/demo-tool/history"
            fi
            """.formatted(version)));
  }

  private static DebPackage ssl(String version) {
    return documented(DebPackage.of("demo-ssl", version,
        "demo TLS library\nHas a security update in stable-security.")
        .withSection("libs")
        .withSource("demo-ssl-src"));
  }

  private static DebPackage documented(DebPackage pkg) {
    return pkg.withFile("usr/share/doc/" + pkg.name() + "/README",
        pkg.name() + " " + pkg.version() + " — part of the linux-patch-api developer-mode sandbox.\n");
  }
}
