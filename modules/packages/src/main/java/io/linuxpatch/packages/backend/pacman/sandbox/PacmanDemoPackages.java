package io.linuxpatch.packages.backend.pacman.sandbox;

import java.util.List;

/**
 * The developer-mode catalogue for pacman, with the same roles as apt's demo packages, and the demo Arch
 * security tracker feed that names demo-ssl's update.
 *
 * <ul>
 *   <li>{@code demo-base} 1.0-1: installed, no update;</li>
 *   <li>{@code demo-tool} 1.0-1 installed, 1.1-1 a normal update; its scriptlets append each install and
 *       upgrade to {@code /var/lib/demo-tool/history} inside the root (so it depends on {@code sh});</li>
 *   <li>{@code demo-ssl} 1.0-1 installed, 1.1-1 the security update (AVG-1 / ASA-202601-1 in the demo feed);</li>
 *   <li>{@code demo-lib} 2.0-1 and {@code demo-app} 2.0-1 (depends {@code demo-lib>=2.0}): not installed,
 *       installing the app pulls in the library;</li>
 *   <li>{@code demo-legacy} 0.9-1 installed; {@code demo-modern} 1.0-1 (conflicts {@code demo-legacy}) not
 *       installed: installing it removes demo-legacy.</li>
 * </ul>
 *
 * <p>A pacman repository holds one version per name, so the sandbox publishes the catalogue in two states:
 * {@link #initialRelease()} (every package at its first version) from which the initial set is installed with
 * real {@code pacman -S}, and then {@link #updates()}, which replace demo-tool and demo-ssl with their 1.1-1. The
 * installed 1.0-1 files stay in pacman's cache, where a rollback ({@code pacman -U} of the cached file) finds
 * them — the way an Arch host gets old versions.
 */
public final class PacmanDemoPackages {

  /** The repository's name ({@code [demo]} in pacman.conf). */
  public static final String REPOSITORY = "demo";

  /** What {@code pacman -S} installs to set up the initial state (sandbox-sh comes as demo-tool's dependency). */
  public static final List<String> INITIALLY_INSTALLED = List.of("demo-base", "demo-tool", "demo-ssl", "demo-legacy");

  /** The demo tracker group's ids, as the feed names them. */
  public static final String DEMO_GROUP = "AVG-1";
  public static final String DEMO_ADVISORY = "ASA-202601-1";
  public static final String DEMO_CVE = "CVE-2026-0001";

  private PacmanDemoPackages() {
  }

  /** Every package at its first version: what the repository holds when the initial set is installed. */
  public static List<PacmanPackageSpec> initialRelease() {
    return List.of(
        documented(PacmanPackageSpec.of("demo-base", "1.0-1", "demo base files, installed from the start and never updated")),
        tool("1.0-1"),
        ssl("1.0-1"),
        documented(PacmanPackageSpec.of("demo-lib", "2.0-1", "demo shared library, a dependency of demo-app")),
        documented(PacmanPackageSpec.of("demo-app", "2.0-1", "demo application; installing it pulls in demo-lib")
            .withDepends("demo-lib>=2.0")),
        documented(PacmanPackageSpec.of("demo-legacy", "0.9-1", "demo legacy tool, conflicts with demo-modern")),
        documented(PacmanPackageSpec.of("demo-modern", "1.0-1", "demo modern tool; installing it removes demo-legacy")
            .withConflicts("demo-legacy")));
  }

  /** The versions published after the initial install: a normal update and a security update. */
  public static List<PacmanPackageSpec> updates() {
    return List.of(tool("1.1-1"), ssl("1.1-1"));
  }

  /**
   * A package whose {@code post_install} fails (returns 1): pacman prints "command failed to execute correctly",
   * still installs it and exits 0 — the case a job must report as MAINTAINER_SCRIPT_FAILED.
   */
  public static PacmanPackageSpec failingScriptlet(String name, String version) {
    return documented(PacmanPackageSpec.of(name, version, "a package whose post_install fails")
        .withDepends("sh")
        .withInstall("""
            post_install() {
              echo "post_install of %s is failing on purpose"
              return 1
            }
            """.formatted(name)));
  }

  /**
   * The demo Arch security tracker feed (the format of {@code https://security.archlinux.org/all.json}): one
   * group naming demo-ssl, affected 1.0-1, fixed in 1.1-1, severity High.
   */
  public static String trackerFeed() {
    return """
        [
          {
            "name": "%s",
            "packages": ["demo-ssl"],
            "status": "Fixed",
            "severity": "High",
            "type": "arbitrary code execution",
            "affected": "1.0-1",
            "fixed": "1.1-1",
            "ticket": null,
            "issues": ["%s"],
            "advisories": ["%s"]
          }
        ]
        """.formatted(DEMO_GROUP, DEMO_CVE, DEMO_ADVISORY);
  }

  private static PacmanPackageSpec tool(String version) {
    return documented(PacmanPackageSpec.of("demo-tool", version, "demo command-line tool with a normal update")
        .withUrl("https://example.invalid/demo-tool")
        .withDepends("sh")
        .withDirectory("var/lib/demo-tool")
        // chrooted /bin/sh with nothing else in the root: built-ins only, into the directory the package ships
        .withInstall("""
            post_install() {
              echo "installed $1" >> /var/lib/demo-tool/history
            }
            post_upgrade() {
              echo "upgraded $2 -> $1" >> /var/lib/demo-tool/history
            }
            """));
  }

  private static PacmanPackageSpec ssl(String version) {
    return documented(PacmanPackageSpec.of("demo-ssl", version, "demo TLS library with a security update"));
  }

  private static PacmanPackageSpec documented(PacmanPackageSpec spec) {
    return spec.withTextFile("usr/share/doc/" + spec.name() + "/README",
        spec.name() + " " + spec.version() + " — part of the linux-patch-api developer-mode sandbox.\n");
  }
}
