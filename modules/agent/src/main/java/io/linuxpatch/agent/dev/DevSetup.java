package io.linuxpatch.agent.dev;

import io.linuxpatch.agent.config.ConfigFile;
import io.linuxpatch.packages.backend.DemoSandboxes;
import io.linuxpatch.packages.sandbox.SandboxConfig;
import io.linuxpatch.pki.CertificateAuthority;
import io.linuxpatch.pki.IssuedCertificate;
import io.linuxpatch.pki.LeafSpec;
import io.linuxpatch.pki.PemFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * Creates the developer-mode files under DIR (OPS-3), file by file: DIR may exist and hold other files,
 * and whatever already exists is reused, so a second run changes nothing. The config it writes is
 * complete (absolute paths, port, bind address, a reboot command that only records the request), so
 * {@code linux-patch-api --config DIR/config.yaml} runs the same agent from any directory.
 */
public final class DevSetup {

  /** Where developer mode put things; paths are absolute. */
  public record Layout(Path dir, Path certs, Path config, Path whitelist, Path data, Path log, Path sandbox) {
    /** The layout developer mode uses under {@code dir}. */
    public static Layout of(Path dir) {
      return under(dir);
    }

    static Layout under(Path dir) {
      Path d = dir.toAbsolutePath().normalize();
      return new Layout(d, d.resolve("certs"), d.resolve("config.yaml"), d.resolve("whitelist.yaml"),
          d.resolve("data"), d.resolve("log"), d.resolve("sandbox"));
    }

    /** The audit log developer mode's config names. */
    public Path auditLog() {
      return log.resolve("audit.jsonl");
    }

    public Path caCert() {
      return certs.resolve("ca.pem");
    }

    public Path caKey() {
      return certs.resolve("ca.key.pem");
    }

    public Path serverCert() {
      return certs.resolve("server.pem");
    }

    public Path serverKey() {
      return certs.resolve("server.key.pem");
    }

    public Path clientCert() {
      return certs.resolve("client.pem");
    }

    public Path clientKey() {
      return certs.resolve("client.key.pem");
    }
  }

  /** The CN of developer mode's client certificate, which its config grants admin. */
  static final String CLIENT_NAME = "dev-client";

  /** The backend name for a layout without a demo sandbox: its config says {@code backend: none}. */
  public static final String NO_BACKEND = "none";

  private final PrintStream out;

  public DevSetup(PrintStream out) {
    this.out = out;
  }

  /** Makes whatever is missing under {@code dir} and returns the layout (apt's demo). */
  public Layout prepare(Path dir, int port, String bind) throws IOException {
    return prepare(dir, port, bind, "apt");
  }

  /**
   * Makes whatever is missing under {@code dir}, with {@code backend}'s demo sandbox (none for {@link #NO_BACKEND}),
   * and returns the layout.
   */
  public Layout prepare(Path dir, int port, String bind, String backend) throws IOException {
    return prepare(dir, port, bind, backend, null);
  }

  /**
   * The same, with the development CA of another developer-mode directory {@code caFrom} (null: DIR's own) copied
   * into DIR when DIR has none yet, so that several agents on one machine share one CA and one client certificate
   * serves them all ({@code fleet}).
   */
  public Layout prepare(Path dir, int port, String bind, String backend, Path caFrom) throws IOException {
    Layout layout = Layout.under(dir);
    Files.createDirectories(layout.dir());
    createPrivateDirectory(layout.certs());
    Files.createDirectories(layout.data());
    Files.createDirectories(layout.log());

    CertificateAuthority ca;
    if (caFrom != null && !(Files.exists(layout.caCert()) && Files.exists(layout.caKey()))) {
      Layout shared = Layout.under(caFrom);
      if (!Files.exists(shared.caCert()) || !Files.exists(shared.caKey())) {
        throw new IOException("--ca-from " + caFrom + ": no development CA there (" + shared.caCert()
            + " and " + shared.caKey() + "); run `dev --dir " + caFrom + "` first");
      }
      ca = CertificateAuthority.load(shared.caCert(), shared.caKey());
      ca.writeTo(layout.caCert(), layout.caKey());
      note("copied the CA of " + shared.dir() + " to", layout.caCert());
    } else if (Files.exists(layout.caCert()) && Files.exists(layout.caKey())) {
      ca = CertificateAuthority.load(layout.caCert(), layout.caKey());
      note("reusing", layout.caCert());
    } else {
      ca = CertificateAuthority.create("linux-patch-api development CA", Duration.ofDays(3650));
      ca.writeTo(layout.caCert(), layout.caKey());
      note("created", layout.caCert());
    }
    issueIfMissing(ca, LeafSpec.server("localhost"), layout.serverCert(), layout.serverKey());
    issueIfMissing(ca, LeafSpec.client(CLIENT_NAME), layout.clientCert(), layout.clientKey());

    if (Files.exists(layout.whitelist())) {
      note("reusing", layout.whitelist());
    } else {
      PemFiles.writeAtomically(layout.whitelist(), DevFiles.whitelist(), PosixFilePermissions.fromString("rw-r--r--"));
      note("created", layout.whitelist());
    }
    if (Files.exists(layout.config())) {
      note("reusing", layout.config());
      warnIfReadOnly(layout);
    } else {
      PemFiles.writeAtomically(layout.config(), DevFiles.config(layout, port, bind, demoSandbox(layout, backend)),
          PosixFilePermissions.fromString("rw-r--r--"));
      note("created", layout.config());
    }
    return layout;
  }

  /**
   * The demo package root (OPS-3: never the host's): a small local repository with a normal and a security
   * update, built with {@code backend}'s real tools. Null on a machine without them, where the agent runs without
   * a package backend and says so.
   */
  private SandboxConfig demoSandbox(Layout layout, String backend) {
    if (NO_BACKEND.equals(backend)) {
      return null;
    }
    List<Path> missing = DemoSandboxes.missingTools(backend);
    if (!missing.isEmpty()) {
      out.println("dev: " + missing + " not found: no " + backend
          + " demo sandbox, the agent starts without a package backend");
      return null;
    }
    SandboxConfig sandbox = DemoSandboxes.create(backend, layout.dir()); // lays out DIR/sandbox
    note(sandbox.reused() ? "reusing" : "created", layout.sandbox());
    return sandbox;
  }

  /**
   * A config written before developer mode granted its client admin has no authorization section, so its
   * client may only read now (SEC-6): say how to get the walkthrough back rather than touch the file.
   */
  private void warnIfReadOnly(Layout layout) {
    ConfigFile file = ConfigFile.read(layout.config());
    if (file.valid() && !file.config().authorization().configured()) {
      out.println("dev: " + layout.config() + " has no authorization section, so clients may only read; add\n"
          + "       authorization:\n         clients:\n           \"" + CLIENT_NAME + "\": admin\n"
          + "     or delete the file to have it written again");
    }
  }

  private void issueIfMissing(CertificateAuthority ca, LeafSpec spec, Path cert, Path key) throws IOException {
    if (Files.exists(cert) && Files.exists(key)) {
      note("reusing", cert);
      return;
    }
    IssuedCertificate issued = ca.issue(spec);
    issued.writeTo(cert, key);
    note("created", cert);
  }

  private static void createPrivateDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  private void note(String what, Path path) {
    out.println("dev: " + what + " " + path);
  }
}
