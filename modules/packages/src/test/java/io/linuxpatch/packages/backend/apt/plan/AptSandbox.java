package io.linuxpatch.packages.backend.apt.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away apt root (notes "Real apt/dpkg on a sandbox root") with a dpkg status file and two file:
 * repositories, {@code stable} (Label Debian) and {@code stable-security} (Label Debian-Security), so that
 * tests read what the real {@code apt-get -s} prints. Simulation never downloads, so the Packages stanzas
 * name .deb files that do not exist; every apt run gets {@code APT_CONFIG}, so the host is never touched.
 */
final class AptSandbox {

  private final Path base;
  private final Path root;
  private final String arch;

  private AptSandbox(Path base, String arch) {
    this.base = base;
    this.root = base.resolve("root");
    this.arch = arch;
  }

  /** Whether real apt and dpkg are available on this machine. */
  static boolean available() {
    return Files.isExecutable(Path.of("/usr/bin/apt-get")) && Files.isExecutable(Path.of("/usr/bin/dpkg"));
  }

  /** Creates the root, the repositories and runs {@code apt-get update}. */
  static AptSandbox create(Path base, List<Stanza> installed, List<Stanza> stable, List<Stanza> security)
      throws IOException, InterruptedException {
    String arch = run(List.of("/usr/bin/dpkg", "--print-architecture"), List.of()).strip();
    AptSandbox sandbox = new AptSandbox(base, arch);
    sandbox.build(installed, stable, security);
    sandbox.apt("update");
    return sandbox;
  }

  /** One package version: name, version and extra control fields (e.g. {@code Depends: x}). */
  record Stanza(String name, String version, String... extra) {
  }

  /** {@code apt-get -s -o Debug::NoLocking=1 ARGS…} and its standard output. */
  String simulate(String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of("-s", "-o", "Debug::NoLocking=1"));
    all.addAll(List.of(args));
    return apt(all.toArray(String[]::new));
  }

  private String apt(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/usr/bin/apt-get"));
    command.addAll(List.of(args));
    return run(command, List.of("APT_CONFIG=" + base.resolve("apt.conf"), "TMPDIR=" + base.resolve("tmp")));
  }

  private void build(List<Stanza> installed, List<Stanza> stable, List<Stanza> security) throws IOException {
    for (String dir : List.of("etc/apt/apt.conf.d", "etc/apt/preferences.d", "etc/apt/sources.list.d",
        "etc/apt/trusted.gpg.d", "etc/apt/keyrings", "var/lib/apt/lists/partial", "var/cache/apt/archives/partial",
        "var/log/apt", "var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers",
        "var/lib/dpkg/alternatives")) {
      Files.createDirectories(root.resolve(dir));
    }
    Files.createDirectories(base.resolve("tmp"));
    Files.writeString(root.resolve("var/lib/dpkg/available"), "");
    StringBuilder status = new StringBuilder();
    for (Stanza s : installed) {
      status.append("Package: ").append(s.name()).append("\nStatus: install ok installed\n")
          .append("Maintainer: Test <test@example.test>\nArchitecture: ").append(arch)
          .append("\nVersion: ").append(s.version()).append("\nDescription: ").append(s.name()).append("\n\n");
    }
    Files.writeString(root.resolve("var/lib/dpkg/status"), status);
    repository("stable", "Debian", "stable", "bookworm", stable);
    repository("security", "Debian-Security", "stable-security", "bookworm-security", security);
    Files.writeString(root.resolve("etc/apt/sources.list"),
        "deb [trusted=yes] file:" + base.resolve("repo/stable") + " ./\n"
            + "deb [trusted=yes] file:" + base.resolve("repo/security") + " ./\n");
    Files.writeString(base.resolve("apt.conf"), "Dir \"" + root + "/\";\n"
        + "Dir::State::status \"" + root + "/var/lib/dpkg/status\";\n"
        + "APT::Architecture \"" + arch + "\";\n"
        // file: repositories in a 0700 temp dir: the _apt download sandbox could not read them
        + "APT::Sandbox::User \"root\";\n"
        + "DPkg::Options { \"--root=" + root + "\"; \"--log=" + root + "/var/log/dpkg.log\"; };\n");
  }

  private void repository(String dir, String label, String suite, String codename, List<Stanza> stanzas)
      throws IOException {
    Path repo = Files.createDirectories(base.resolve("repo").resolve(dir));
    StringBuilder packages = new StringBuilder();
    for (Stanza s : stanzas) {
      packages.append("Package: ").append(s.name()).append("\nVersion: ").append(s.version())
          .append("\nArchitecture: ").append(arch).append("\nMaintainer: Test <test@example.test>\n")
          .append("Filename: pool/").append(s.name()).append('_').append(s.version()).append(".deb\n")
          .append("Size: 1000\nSHA256: ").append(sha256("none")).append('\n');
      for (String field : s.extra()) {
        packages.append(field).append('\n');
      }
      packages.append("Description: ").append(s.name()).append("\n\n");
    }
    byte[] index = packages.toString().getBytes(StandardCharsets.UTF_8);
    Files.write(repo.resolve("Packages"), index);
    Files.writeString(repo.resolve("Release"), "Origin: Debian\nLabel: " + label + "\nSuite: " + suite
        + "\nCodename: " + codename + "\nVersion: 12\nDate: Sat, 01 Jun 2024 00:00:00 UTC\nArchitectures: " + arch
        + "\nComponents: main\nSHA256:\n " + sha256(index) + " " + index.length + " Packages\n");
  }

  private static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String run(List<String> command, List<String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
    pb.environment().put("LC_ALL", "C");
    for (String e : env) {
      int eq = e.indexOf('=');
      pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
    }
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + command);
    }
    if (p.exitValue() != 0) {
      throw new IOException(command + " exited " + p.exitValue() + ":\n" + out);
    }
    return out;
  }
}
