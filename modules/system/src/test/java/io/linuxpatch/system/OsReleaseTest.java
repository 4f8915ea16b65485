package io.linuxpatch.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** os-release(5) parsing, quoting included. */
class OsReleaseTest {

  @Test
  @DisplayName("Debian 12's os-release is read into name, version, version_id, codename, id")
  void debian() {
    OsRelease os = OsRelease.parse("""
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        VERSION="12 (bookworm)"
        VERSION_CODENAME=bookworm
        ID=debian
        HOME_URL="https://www.debian.org/"
        """);
    assertThat(os).isEqualTo(new OsRelease("Debian GNU/Linux", "12 (bookworm)", "12", "bookworm", "debian",
        java.util.List.of()));
  }

  @Test
  @DisplayName("ID_LIKE becomes a list and UBUNTU_CODENAME stands in for a missing VERSION_CODENAME")
  void idLikeAndUbuntuCodename() {
    OsRelease os = OsRelease.parse("""
        NAME="Linux Mint"
        VERSION="21.3 (Virginia)"
        ID=linuxmint
        ID_LIKE="ubuntu debian"
        UBUNTU_CODENAME=jammy
        """);
    assertThat(os.idLike()).containsExactly("ubuntu", "debian");
    assertThat(os.codename()).isEqualTo("jammy");
  }

  @Test
  @DisplayName("Quoting follows os-release(5): single quotes literal, double quotes with backslash escapes, comments skipped")
  void quoting() {
    OsRelease os = OsRelease.parse("""
        # a comment with NAME=wrong
        NAME='Single $quoted \\ name'
        VERSION="say \\"hi\\" for \\$5 and a \\\\ backslash"
        ID=plain\\ escaped
        garbage line without equals
        """);
    assertThat(os.name()).isEqualTo("Single $quoted \\ name");
    assertThat(os.version()).isEqualTo("say \"hi\" for $5 and a \\ backslash");
    assertThat(os.id()).isEqualTo("plain escaped");
  }

  @Test
  @DisplayName("An empty file gives the defaults os-release(5) prescribes: NAME=Linux, ID=linux")
  void defaults() {
    OsRelease os = OsRelease.parse("");
    assertThat(os.name()).isEqualTo("Linux");
    assertThat(os.id()).isEqualTo("linux");
    assertThat(os.codename()).isNull();
    assertThat(os.toJson().getJsonArray("id_like")).isEmpty();
  }
}
