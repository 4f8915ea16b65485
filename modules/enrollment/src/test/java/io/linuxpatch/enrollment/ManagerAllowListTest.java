package io.linuxpatch.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.auth.allowlist.AllowListFile;
import io.linuxpatch.auth.allowlist.HostResolver;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ManagerAllowList}: the manager's address added only when needed, checked with the agent's own parser. */
class ManagerAllowListTest {

  private static final HostResolver NO_DNS = name -> {
    throw new java.net.UnknownHostException(name);
  };

  @TempDir
  Path dir;

  private ManagerAllowList list(Path file) {
    return new ManagerAllowList(file, NO_DNS);
  }

  @Test
  @DisplayName("an address no entry allows is appended; the file keeps its comments and mode and reads back valid")
  void appends() throws Exception {
    Path file = dir.resolve("whitelist.yaml");
    Files.writeString(file, "# ours\nentries:\n  - 127.0.0.1  # local\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    ManagerAllowList.Plan plan = list(file).plan("192.0.2.7", "fleet manager");
    assertThat(plan.changes()).isTrue();
    assertThat(Files.readString(file)).doesNotContain("192.0.2.7"); // planning writes nothing
    list(file).apply(plan);
    String text = Files.readString(file);
    assertThat(text).startsWith("# ours\nentries:\n  - 127.0.0.1  # local\n").contains("- \"192.0.2.7\"");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
    AllowListFile.Valid valid = (AllowListFile.Valid) new AllowListFile(NO_DNS).parse(text);
    assertThat(valid.entries()).containsExactly("127.0.0.1", "192.0.2.7");
    assertThat(plan.outcome()).contains("added the manager 192.0.2.7");
  }

  @Test
  @DisplayName("an address a CIDR entry covers already changes nothing")
  void coveredAlready() throws Exception {
    Path file = dir.resolve("whitelist.yaml");
    Files.writeString(file, "entries: [\"192.0.2.0/24\"]\n");
    ManagerAllowList.Plan plan = list(file).plan("192.0.2.7", "fleet manager");
    assertThat(plan.changes()).isFalse();
    assertThat(plan.outcome()).contains("allows the manager 192.0.2.7 already");
    assertThat(list(file).plan("::1", "x").changes()).isTrue();
  }

  @Test
  @DisplayName("an invalid file is left alone and the reason is given")
  void invalidFileLeftAlone() throws Exception {
    Path file = dir.resolve("whitelist.yaml");
    Files.writeString(file, "entries:\n  - not an address!\n");
    ManagerAllowList.Plan plan = list(file).plan("192.0.2.7", "fleet manager");
    assertThat(plan.changes()).isFalse();
    assertThat(plan.outcome()).contains("invalid already").contains("add 192.0.2.7 by hand");
  }

  @Test
  @DisplayName("a missing file is created allowing the manager only")
  void missingFileCreated() throws Exception {
    Path file = dir.resolve("whitelist.yaml");
    ManagerAllowList.Plan plan = list(file).plan("2001:db8::5", "fleet manager");
    list(file).apply(plan);
    AllowListFile.Valid valid = (AllowListFile.Valid) new AllowListFile(NO_DNS).parse(Files.readString(file));
    assertThat(valid.entries()).isEqualTo(List.of("2001:db8::5"));
    assertThat(valid.allowList().allows(InetAddress.getByName("2001:db8::5"))).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
  }
}
