package io.linuxpatch.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostListTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("a hosts file: one URL a line, # comments and blank lines skipped, bare host:port taken as https, each host once")
  void hostsFile() throws Exception {
    Path file = Files.writeString(dir.resolve("hosts"), "# web tier\nhttps://web1:12443/\n\nweb2:9443   # spare\n"
        + "https://web1:12443\n");
    List<Host> hosts = HostList.of(file, List.of("https://db1"));
    assertThat(hosts).extracting(Host::url).containsExactly("https://web1:12443", "https://web2:9443", "https://db1");
    assertThat(hosts.get(2).port()).isEqualTo(Host.DEFAULT_PORT);
    assertThat(hosts.get(1).hostName()).isEqualTo("web2");
  }

  @Test
  @DisplayName("a malformed line names the file and line; no host at all is an error")
  void malformed() throws Exception {
    Path file = Files.writeString(dir.resolve("hosts"), "https://ok\nhttp://plain:80\n");
    assertThatThrownBy(() -> HostList.of(file, List.of())).hasMessageContaining(file + ":2")
        .hasMessageContaining("http://plain:80");
    assertThatThrownBy(() -> HostList.of(null, List.of("https://h/api/v1"))).hasMessageContaining("not an agent URL");
    assertThatThrownBy(() -> HostList.of(null, List.of())).hasMessageContaining("no hosts");
  }
}
