package io.linuxpatch.packages.backend.pacman.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local database reader on hand-written desc files: every kept field, and odd entries reported, not fatal. */
class LocalDatabaseReaderTest {

  @TempDir
  Path dbPath;

  @Test
  @DisplayName("Reads each kept field of a desc file, multi-valued fields one value per line, CRLF tolerated")
  void readsFields() throws Exception {
    desc("openssl-3.2.1-1", """
        %NAME%
        openssl

        %VERSION%
        3.2.1-1

        %BASE%
        openssl

        %DESC%
        The Open Source toolkit for Secure Sockets Layer and Transport Layer Security

        %URL%
        https://www.openssl.org

        %ARCH%
        x86_64

        %BUILDDATE%
        1706612345

        %INSTALLDATE%
        1707000000

        %PACKAGER%
        Pierre Schmitz <pierre@archlinux.de>

        %SIZE%
        7698531

        %REASON%
        1

        %LICENSE%
        Apache-2.0

        %VALIDATION%
        pgp

        %DEPENDS%
        glibc

        %OPTDEPENDS%
        ca-certificates
        perl

        %PROVIDES%
        libcrypto.so=3-64
        libssl.so=3-64

        %CONFLICTS%
        openssl-1.1<1.1.1

        %REPLACES%
        openssl-old

        """.replace("\n", "\r\n"));

    PacmanDatabase local = new LocalDatabaseReader().read(dbPath);

    assertThat(local.problems()).isEmpty();
    PacmanPackage openssl = local.find("openssl").orElseThrow();
    assertThat(openssl.version()).isEqualTo("3.2.1-1");
    assertThat(openssl.database()).isEqualTo("local");
    assertThat(openssl.description()).startsWith("The Open Source toolkit");
    assertThat(openssl.url()).contains("https://www.openssl.org");
    assertThat(openssl.architecture()).isEqualTo("x86_64");
    assertThat(openssl.packager()).contains("Pierre Schmitz <pierre@archlinux.de>");
    assertThat(openssl.installedSizeBytes()).hasValue(7698531);
    assertThat(openssl.buildDate()).contains(Instant.ofEpochSecond(1706612345));
    assertThat(openssl.installDate()).contains(Instant.ofEpochSecond(1707000000));
    assertThat(openssl.reason()).isEqualTo(PacmanPackage.Reason.DEPENDENCY);
    assertThat(openssl.depends()).containsExactly("glibc");
    assertThat(openssl.provides()).containsExactly("libcrypto.so=3-64", "libssl.so=3-64");
    assertThat(openssl.conflicts()).containsExactly("openssl-1.1<1.1.1");
    assertThat(openssl.replaces()).containsExactly("openssl-old");
    assertThat(openssl.downloadSizeBytes()).isEmpty();
  }

  @Test
  @DisplayName("Sorted by name; a missing, nameless or mismatched entry is a problem naming it, the rest is read")
  void oddEntries() throws Exception {
    desc("zlib-1:1.3.1-1", "%NAME%\nzlib\n\n%VERSION%\n1:1.3.1-1\n\n");
    desc("acl-2.3.2-1", "%NAME%\nacl\n\n%VERSION%\n2.3.2-1\n\n%REASON%\n0\n");
    desc("bash-5.2-1", "%NAME%\nbash\n\n%VERSION%\n5.2.026-1\n\n");
    desc("noname-1-1", "%VERSION%\n1-1\n\n");
    Files.createDirectories(dbPath.resolve("local/nodesc-1-1"));
    Files.writeString(dbPath.resolve("local/ALPM_DB_VERSION"), "9\n");

    PacmanDatabase local = new LocalDatabaseReader().read(dbPath);

    assertThat(local.packages()).extracting(PacmanPackage::name).containsExactly("acl", "bash", "zlib");
    assertThat(local.find("acl").orElseThrow().reason()).isEqualTo(PacmanPackage.Reason.EXPLICIT);
    assertThat(local.find("zlib").orElseThrow().pacmanVersion().epoch()).isEqualTo("1");
    assertThat(local.problems()).extracting(DatabaseProblem::toString).containsExactlyInAnyOrder(
        "local/bash-5.2-1/desc: names bash-5.2.026-1, not its directory bash-5.2-1",
        "local/noname-1-1/desc: no %NAME%",
        "local/nodesc-1-1/desc: missing: the package's entry is incomplete");
    assertThat(local.find("noname")).isEmpty();
  }

  @Test
  @DisplayName("A DBPath without local/ is an empty database, not an error")
  void noLocalDirectory() throws Exception {
    PacmanDatabase local = new LocalDatabaseReader().read(dbPath.resolve("nothing-here"));
    assertThat(local.size()).isZero();
    assertThat(local.problems()).isEmpty();
  }

  private void desc(String directory, String text) throws Exception {
    Path dir = Files.createDirectories(dbPath.resolve("local").resolve(directory));
    Files.writeString(dir.resolve("desc"), text);
  }
}
