package io.linuxpatch.packages.backend.pacman.advisory;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.packages.Severity;
import io.linuxpatch.packages.advisory.AdvisoryMatch;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanDemoPackages;
import io.linuxpatch.packages.plan.SecurityClassification;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Arch Linux security tracker feed (all.json format): groups matched by package and version range. */
class ArchSecurityFeedTest {

  /** Groups shaped as the tracker publishes them (field order and nulls as index.py writes them). */
  private static final String FEED = """
      [
        {"name": "AVG-2810", "packages": ["openssl", "lib32-openssl"], "status": "Fixed", "severity": "High",
         "type": "multiple issues", "affected": "3.1.4-1", "fixed": "3.1.5-1", "ticket": null,
         "issues": ["CVE-2023-6129", "CVE-2023-6237"], "advisories": ["ASA-202401-3"]},
        {"name": "AVG-2811", "packages": ["openssl"], "status": "Fixed", "severity": "Critical",
         "type": "arbitrary code execution", "affected": "3.1.4-1", "fixed": "3.1.6-1", "ticket": "FS#1",
         "issues": ["CVE-2024-0727"], "advisories": []},
        {"name": "AVG-2900", "packages": ["curl"], "status": "Vulnerable", "severity": "Medium",
         "type": "denial of service", "affected": "8.5.0-1", "fixed": null, "ticket": null,
         "issues": ["CVE-2024-1111"], "advisories": []},
        {"name": "AVG-2901", "packages": ["vim"], "status": "Testing", "severity": "Low",
         "type": "information disclosure", "affected": "9.1.0-1", "fixed": "9.1.1-1", "ticket": null,
         "issues": ["CVE-2024-2222"], "advisories": []},
        {"name": "AVG-2902", "packages": ["bash"], "status": "Not affected", "severity": "Unknown",
         "type": "unknown", "affected": "5.2-1", "fixed": "5.2-2", "ticket": null, "issues": ["CVE-2024-3333"],
         "advisories": []},
        {"name": "AVG-2903", "packages": ["systemd"], "status": "Fixed", "severity": "High",
         "type": "privilege escalation", "affected": "1:255-1", "fixed": "1:255.2-1", "ticket": null,
         "issues": ["CVE-2024-4444"], "advisories": ["ASA-202402-1"]}
      ]
      """;

  @Test
  @DisplayName("The demo feed: demo-ssl 1.0-1 → 1.1-1 fixes AVG-1, id ASA-202601-1, CVE-2026-0001, severity high")
  void demoFeed() {
    ArchSecurityIndex index = load(PacmanDemoPackages.trackerFeed());

    ArchSecurityMatch match = index.match("demo-ssl", "1.0-1", "1.1-1");

    assertThat(match.security()).isTrue();
    assertThat(match.patchId()).isEqualTo("ASA-202601-1");
    assertThat(match.cveIds()).containsExactly("CVE-2026-0001");
    assertThat(match.severity()).isEqualTo(Severity.HIGH);
    assertThat(match.severity().json()).isEqualTo("high");
    assertThat(match.reason()).isEqualTo("fixes AVG-1 (ASA-202601-1, High: CVE-2026-0001): demo-ssl 1.0-1 is affected,"
        + " fixed in 1.1-1 (Arch Linux security tracker)");
    assertThat(match.classification()).isEqualTo(new SecurityClassification(true, match.reason()));
    assertThat(index.match("demo-tool", "1.0-1", "1.1-1").security()).as("never from a name").isFalse();
  }

  @Test
  @DisplayName("Several groups: CVEs united, highest severity, first ASA as id; a group without ASA is named by its AVG")
  void severalGroups() {
    ArchSecurityIndex index = load(FEED);

    ArchSecurityMatch both = index.match("openssl", "3.1.4-1", "3.1.6-1");
    assertThat(both.fixes()).extracting(ArchSecurityGroup::name).containsExactly("AVG-2810", "AVG-2811");
    assertThat(both.cveIds()).containsExactly("CVE-2023-6129", "CVE-2023-6237", "CVE-2024-0727");
    assertThat(both.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(both.patchId()).isEqualTo("ASA-202401-3");
    assertThat(both.reason()).contains("AVG-2810 (ASA-202401-3, High", "AVG-2811 (Critical: CVE-2024-0727)");

    ArchSecurityMatch first = index.match("openssl", "3.1.4-1", "3.1.5-1");
    assertThat(first.fixes()).extracting(ArchSecurityGroup::name).containsExactly("AVG-2810");
    assertThat(first.stillOpen()).extracting(ArchSecurityGroup::name).containsExactly("AVG-2811");
    assertThat(index.match("lib32-openssl", "3.1.4-1", "3.1.5-1").patchId()).isEqualTo("ASA-202401-3");
    assertThat(index.groups("openssl")).hasSize(2);
    assertThat(index.size()).isEqualTo(6);
  }

  @ParameterizedTest(name = "{0} {1} → {2}: security {3}")
  @CsvSource({
      // installed already fixed, candidate below the fix, no fix yet, Not affected, Testing with its fix, epochs
      "openssl, 3.1.6-1, 3.1.7-1, false",
      "openssl, 3.1.3-1, 3.1.4-2, false",
      "curl, 8.5.0-1, 8.6.0-1, false",
      "bash, 5.2-1, 5.2-2, false",
      "vim, 9.1.0-1, 9.1.1-1, true",
      "systemd, 1:255-1, 1:255.2-1, true",
      "systemd, 1:255.2-1, 1:256-1, false",
      "systemd, 256-1, 1:255.1-1, false"})
  @DisplayName("Affected below the fixed version, fixed when the candidate reaches it, by pacman's version order")
  void versionRanges(String name, String installed, String candidate, boolean security) {
    assertThat(load(FEED).match(name, installed, candidate).security()).isEqualTo(security);
  }

  @Test
  @DisplayName("A vulnerable package with no fix is reported as still open, not as a security patch")
  void stillOpen() {
    ArchSecurityMatch curl = load(FEED).match("curl", "8.5.0-1", "8.6.0-1");

    assertThat(curl.security()).isFalse();
    assertThat(curl.patchId()).isEqualTo("curl/8.6.0-1");
    assertThat(curl.stillOpen()).extracting(ArchSecurityGroup::name).containsExactly("AVG-2900");
    assertThat(curl.reason()).isEqualTo("the Arch Linux security tracker lists no fix in this update; still affected by"
        + " AVG-2900 (no fix yet)");
    assertThat(curl.advisory()).isEqualTo(AdvisoryMatch.NONE);
  }

  @Test
  @DisplayName("The shared AdvisoryLookup gives CVEs, severity and the tracker as severity_source; without a feed the reason says so")
  void sharedLookupAndNoFeed() {
    AdvisoryMatch match = load(FEED).lookup("systemd", "rolling", "1:255-1", "1:255.2-1");

    assertThat(match).isEqualTo(new AdvisoryMatch(List.of("CVE-2024-4444"), Severity.HIGH, "arch-security-tracker"));
    assertThat(ArchSecurityMatch.withoutFeed().security()).isFalse();
    assertThat(ArchSecurityMatch.withoutFeed().reason()).contains("no advisory data is configured");
  }

  @Test
  @DisplayName("Groups of the wrong shape are skipped with a problem naming them; the rest is used")
  void oddGroups() {
    ArchFeedLoad load = new ArchSecurityFeed().read(stream("""
        [
          {"name": "AVG-1", "packages": ["a"], "status": "Fixed", "severity": "High", "fixed": "2-1", "issues": []},
          {"name": "AVG-2", "packages": [], "status": "Fixed"},
          {"packages": ["b"], "status": "Fixed"},
          {"name": "AVG-4", "packages": ["c"], "status": "Resolved"},
          {"name": "AVG-5", "packages": "d", "status": "Fixed"},
          {"name": "AVG-6", "packages": ["e"], "status": "Fixed", "severity": "Apocalyptic", "fixed": "1-2"},
          42
        ]
        """));

    assertThat(load).isInstanceOf(ArchFeedLoad.Loaded.class);
    ArchFeedLoad.Loaded loaded = (ArchFeedLoad.Loaded) load;
    assertThat(loaded.problems()).containsExactly("AVG-2: no packages", "entry 3: no name",
        "AVG-4: status \"Resolved\" is not one the tracker uses", "AVG-5: packages is not an array of strings",
        "entry 7: not an object");
    assertThat(loaded.problemCount()).isEqualTo(5);
    assertThat(loaded.index().match("a", "1-1", "2-1").security()).isTrue();
    assertThat(loaded.index().match("e", "1-1", "1-2").severity()).isEqualTo(Severity.UNKNOWN);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "not JSON|<html>502 Bad Gateway</html>|advisory feed is not valid JSON at line 1, column 1: Unexpected character",
      "an object|{\"AVG-1\": {}}|expected a JSON array of AVG groups at the top (the format of https://security.archlinux.org/all.json), found an object",
      "cut short|[{\"name\": \"AVG-1\", \"packages\": [\"a\"]|advisory feed ended early (truncated download?)",
      "empty|''|found nothing",
      "trailing data|[] []|advisory feed has more after its array of groups"})
  @DisplayName("A feed that is not the tracker's JSON fails as a whole with a message saying why")
  void badFeeds(String what, String text, String message) {
    ArchFeedLoad load = new ArchSecurityFeed().read(stream(text));

    assertThat(load).isInstanceOf(ArchFeedLoad.Failed.class);
    assertThat(((ArchFeedLoad.Failed) load).message()).contains(message);
  }

  @Test
  @DisplayName("An empty array is a valid feed that knows nothing")
  void emptyFeed() {
    assertThat(load("[]").size()).isZero();
  }

  private static ArchSecurityIndex load(String text) {
    ArchFeedLoad load = new ArchSecurityFeed().read(stream(text));
    assertThat(load).isInstanceOf(ArchFeedLoad.Loaded.class);
    ArchFeedLoad.Loaded loaded = (ArchFeedLoad.Loaded) load;
    assertThat(loaded.problems()).isEmpty();
    return loaded.index();
  }

  private static ByteArrayInputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
