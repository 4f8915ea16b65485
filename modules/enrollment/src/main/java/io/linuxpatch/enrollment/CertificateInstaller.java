package io.linuxpatch.enrollment;

import io.linuxpatch.contract.config.TlsConfig;
import io.linuxpatch.pki.CertificateChecks;
import io.linuxpatch.pki.CertificateReport;
import io.linuxpatch.pki.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Installs checked material as the agent's TLS files (ENR): first the set is staged in {@code data_dir} and put
 * through the very CFG-4 checks AuthVerticle runs on a reload (with the configured CRL), so that nothing is written
 * that the running agent would then refuse; then each of {@code tls.server_key} (0600), {@code tls.server_cert} and
 * {@code tls.ca_cert} (0644) is replaced atomically (temp file, fsync, rename, directory fsync) after its previous
 * content was kept as {@code FILE.bak} with the same mode. A write that fails puts back the files already replaced.
 * Blocking: call from a worker.
 */
public final class CertificateInstaller {

  private static final Set<PosixFilePermission> KEY = PemFiles.KEY_PERMISSIONS;
  private static final Set<PosixFilePermission> PUBLIC = PemFiles.CERTIFICATE_PERMISSIONS;

  /** What an installation changed. */
  public record Installed(List<Path> written, List<Path> backups) {
    public Installed {
      written = List.copyOf(written);
      backups = List.copyOf(backups);
    }
  }

  private record Target(Path path, String content, Set<PosixFilePermission> mode) {}

  private final TlsConfig tls;
  private final Path staging;
  private final int renewalThresholdDays;

  /**
   * @param staging a directory under {@code data_dir} that only the agent may read (it holds a key for a moment)
   */
  public CertificateInstaller(TlsConfig tls, Path staging, int renewalThresholdDays) {
    this.tls = tls;
    this.staging = staging;
    this.renewalThresholdDays = renewalThresholdDays;
  }

  /**
   * Checks the set as the agent will load it, then installs it.
   *
   * @throws MaterialRejected when the staged set fails the agent's own checks (nothing was written)
   * @throws IOException      when a file cannot be written (the files already replaced are put back)
   */
  public Installed install(MaterialCheck.Checked material, Instant now) throws MaterialRejected, IOException {
    String caPem = PemFiles.encode(material.ca());
    String certPem = PemFiles.encode(material.chain());
    String keyPem = PemFiles.encode(material.key());
    checkStaged(caPem, certPem, keyPem, now);

    // The key first and the CA last: AuthVerticle reloads once its files are stable, and a half-done rotation
    // is only ever refused by it, never served.
    List<Target> targets = List.of(new Target(Path.of(tls.serverKey()), keyPem, KEY),
        new Target(Path.of(tls.serverCert()), certPem, PUBLIC), new Target(Path.of(tls.caCert()), caPem, PUBLIC));
    List<byte[]> previous = new ArrayList<>();
    List<Path> backups = new ArrayList<>();
    for (Target target : targets) {
      byte[] old = Files.isRegularFile(target.path()) ? Files.readAllBytes(target.path()) : null;
      previous.add(old);
      if (old != null) {
        Path bak = backup(target.path());
        PemFiles.writeAtomically(bak, old, target.mode());
        backups.add(bak);
      }
    }
    List<Path> written = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      Target target = targets.get(i);
      try {
        PemFiles.writeAtomically(target.path(), target.content(), target.mode());
        written.add(target.path());
      } catch (IOException e) {
        undo(targets, previous, i);
        throw new IOException("writing " + target.path() + " failed (" + e.getMessage() + "); the files written "
            + "before it were put back", e);
      }
    }
    return new Installed(written, backups);
  }

  /** {@code FILE.bak} beside {@code file}. */
  public static Path backup(Path file) {
    return file.resolveSibling(file.getFileName() + ".bak");
  }

  private void checkStaged(String caPem, String certPem, String keyPem, Instant now)
      throws IOException, MaterialRejected {
    Files.createDirectories(staging.getParent());
    if (!Files.isDirectory(staging)) {
      Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(PemFiles.DIRECTORY_PERMISSIONS));
    }
    try {
      Path ca = staging.resolve("ca.pem");
      Path cert = staging.resolve("server.pem");
      Path key = staging.resolve("server.key.pem");
      PemFiles.writeAtomically(key, keyPem, KEY);
      PemFiles.writeAtomically(cert, certPem, PUBLIC);
      PemFiles.writeAtomically(ca, caPem, PUBLIC);
      CertificateReport report = CertificateChecks.check(new TlsConfig(ca.toString(), cert.toString(),
          key.toString(), tls.crlPath(), tls.minVersion()), now, renewalThresholdDays);
      if (!report.ok()) {
        throw new MaterialRejected("the new certificates would not pass the agent's own certificate checks: "
            + report.errors().get(0).line());
      }
    } finally {
      try (Stream<Path> files = Files.walk(staging)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void undo(List<Target> targets, List<byte[]> previous, int failedAt) {
    for (int j = 0; j < failedAt; j++) {
      Target done = targets.get(j);
      try {
        if (previous.get(j) == null) {
          Files.deleteIfExists(done.path());
        } else {
          PemFiles.writeAtomically(done.path(), previous.get(j), done.mode());
        }
      } catch (IOException ignored) {
        // the .bak copy is still there for the operator
      }
    }
  }
}
