package io.linuxpatch.auth.allowlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The allow-list diff names what an applied change added and removed")
class AllowListDiffTest {

  @Test
  @DisplayName("added, removed and re-resolved entries are told apart")
  void diff() {
    AtomicReference<String> apiAddress = new AtomicReference<>("192.0.2.1");
    AllowListFile file = new AllowListFile(host -> List.of(InetAddress.getByName(apiAddress.get())));
    AllowListFile.Valid before = (AllowListFile.Valid) file.parse("entries: [10.0.0.1, 10.0.0.2, api.example.test]");
    apiAddress.set("192.0.2.2");
    AllowListFile.Valid after = (AllowListFile.Valid) file.parse("entries: [10.0.0.2, 10.0.0.3, api.example.test]");

    AllowListDiff diff = AllowListDiff.between(before.allowList(), after.allowList());
    assertThat(diff.added()).containsExactly("10.0.0.3");
    assertThat(diff.removed()).containsExactly("10.0.0.1");
    assertThat(diff.reresolved()).containsExactly("api.example.test");
    assertThat(diff.isEmpty()).isFalse();
    assertThat(AllowListDiff.between(after.allowList(), after.allowList()).isEmpty()).isTrue();
  }
}
