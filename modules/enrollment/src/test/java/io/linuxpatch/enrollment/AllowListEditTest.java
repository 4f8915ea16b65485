package io.linuxpatch.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link AllowListEdit}: one entry added the way a person would, everything else of the file kept. */
class AllowListEditTest {

  private static final String NOTE = "fleet manager, added by enrollment";

  @Test
  @DisplayName("a block list gets the entry after its last item, with the items' indentation; comments and the key after it stay")
  void blockList() {
    String text = """
        # who may connect
        entries:
            - 127.0.0.1   # local
            # the monitoring host
            - "10.0.0.0/8"

        # end of list
        """;
    assertThat(AllowListEdit.withEntry(text, "192.0.2.7", NOTE)).contains("""
        # who may connect
        entries:
            - 127.0.0.1   # local
            # the monitoring host
            - "10.0.0.0/8"
            # fleet manager, added by enrollment
            - "192.0.2.7"

        # end of list
        """);
  }

  @Test
  @DisplayName("a flow list, empty or not, gets the entry before its bracket and the note on the line above")
  void flowList() {
    assertThat(AllowListEdit.withEntry("entries: [127.0.0.1, \"::1\"]  # both loopbacks\n", "2001:db8::5", NOTE))
        .contains("# fleet manager, added by enrollment\nentries: [127.0.0.1, \"::1\", \"2001:db8::5\"]  # both loopbacks\n");
    assertThat(AllowListEdit.withEntry("# deny all for now\nentries: []\n", "192.0.2.7", NOTE))
        .contains("# deny all for now\n# fleet manager, added by enrollment\nentries: [\"192.0.2.7\"]\n");
  }

  @Test
  @DisplayName("a file without a usable entries list is not guessed at")
  void unknownLayouts() {
    assertThat(AllowListEdit.withEntry("hosts:\n  - 1.2.3.4\n", "192.0.2.7", NOTE)).isEmpty();
    assertThat(AllowListEdit.withEntry("entries:\n# nothing yet\n", "192.0.2.7", NOTE)).isEmpty();
    assertThat(AllowListEdit.withEntry("entries: [\n  1.2.3.4\n]\n", "192.0.2.7", NOTE)).isEmpty();
  }

  @Test
  @DisplayName("a new file holds the entry under entries:")
  void newFile() {
    assertThat(AllowListEdit.newFile("192.0.2.7", NOTE)).contains("entries:\n").contains("  - \"192.0.2.7\"\n");
  }
}
