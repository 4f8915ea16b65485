package io.linuxpatch.auth.allowlist;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.auth.IpAllowList;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The allow-list file is read all or nothing, with problems that name the entry")
class AllowListFileTest {

  /** A resolver that knows a few names and never touches DNS. */
  private static final HostResolver FAKE_DNS = host -> {
    Map<String, List<String>> names = Map.of(
        "api.example.test", List.of("192.0.2.10", "2001:db8::10"),
        "ops.example.test.", List.of("192.0.2.20"));
    List<String> addresses = names.get(host);
    if (addresses == null) {
      throw new UnknownHostException(host + ": Name or service not known");
    }
    return addresses.stream().map(AllowListFileTest::address).toList();
  };

  private final AllowListFile file = new AllowListFile(FAKE_DNS);

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private IpAllowList valid(String yaml) {
    AllowListFile.Result result = file.parse(yaml);
    assertThat(result).as("result of %s", yaml).isInstanceOf(AllowListFile.Valid.class);
    return ((AllowListFile.Valid) result).allowList();
  }

  private List<String> problems(String yaml) {
    AllowListFile.Result result = file.parse(yaml);
    assertThat(result).as("result of %s", yaml).isInstanceOf(AllowListFile.Invalid.class);
    return ((AllowListFile.Invalid) result).problems();
  }

  @ParameterizedTest(name = "{0} allows {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      10.1.2.3              | 10.1.2.3                 | true
      10.1.2.3              | 10.1.2.4                 | false
      10.0.0.0/8            | 10.255.0.1               | true
      10.0.0.0/8            | 11.0.0.1                 | false
      0.0.0.0/0             | 203.0.113.9              | true
      0.0.0.0/0             | 2001:db8::1              | false
      192.168.1.77/24       | 192.168.1.3              | true
      2001:db8::1           | 2001:db8::1              | true
      2001:db8::1           | 2001:db8::2              | false
      2001:db8::/32         | 2001:db8:ffff::1         | true
      2001:db8::/32         | 2001:db9::1              | false
      ::/0                  | 10.0.0.1                 | false
      '1:2:3:4:5:6:7:8'     | 1:2:3:4:5:6:7:8          | true
      10.1.2.3              | ::ffff:10.1.2.3          | true
      10.0.0.0/8            | ::ffff:10.9.9.9          | true
      ::ffff:10.1.2.3       | 10.1.2.3                 | true
      api.example.test      | 192.0.2.10               | true
      api.example.test      | 2001:db8::10             | true
      api.example.test      | 192.0.2.11               | false
      ops.example.test.     | 192.0.2.20               | true
      """)
  @DisplayName("a valid entry, quoted or not, admits exactly its addresses")
  void validEntries(String entry, String client, boolean allowed) {
    // Unquoted too: YAML 1.1 would read 1:2:3:4:5:6:7:8 as a base-60 number if the parser let it. (In a
    // flow list "[::1]" YAML itself needs quotes; unquoted it is reported as invalid YAML, never misread.)
    for (String yaml : List.of("entries:\n  - " + entry + "\n", "entries:\n  - \"" + entry + "\"\n",
        "entries: [\"" + entry + "\"]\n")) {
      assertThat(valid(yaml).allows(address(client))).as(yaml).isEqualTo(allowed);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      10.0.0.0/33           | entries[1] "10.0.0.0/33": prefix must be 0..32
      2001:db8::/129        | entries[1] "2001:db8::/129": prefix must be 0..128
      10.0.0.0/-1           | entries[1] "10.0.0.0/-1": prefix must be 0..32
      10.0.0.0/             | entries[1] "10.0.0.0/": prefix must be 0..32
      256.1.1.1             | entries[1] "256.1.1.1": not a valid IPv4 address (four numbers 0..255 without leading zeros)
      010.1.1.1             | entries[1] "010.1.1.1": not a valid IPv4 address (four numbers 0..255 without leading zeros)
      10.1.2                | entries[1] "10.1.2": not a valid IPv4 address (four numbers 0..255 without leading zeros)
      2001:db8:::1          | entries[1] "2001:db8:::1": not a valid IPv6 address
      fe80::1%eth0          | entries[1] "fe80::1%eth0": not a valid IPv6 address
      example.test/24       | entries[1] "example.test/24": a CIDR block needs an IP address before the "/" (host names cannot have a prefix)
      bad_name.example      | entries[1] "bad_name.example": not an IP address, a CIDR block or a valid host name
      -leading.example      | entries[1] "-leading.example": not an IP address, a CIDR block or a valid host name
      two words             | entries[1] "two words": not an IP address, a CIDR block or a valid host name
      unknown.example.test  | entries[1] "unknown.example.test": host name does not resolve (unknown.example.test: Name or service not known)
      """)
  @DisplayName("an invalid entry makes the whole file invalid and is named in the problem")
  void invalidEntries(String entry, String problem) {
    assertThat(problems("entries:\n  - 10.0.0.1\n  - \"" + entry + "\"\n")).containsExactly(problem);
  }

  @Test
  @DisplayName("entries: [] is valid and denies everyone")
  void explicitlyEmpty() {
    IpAllowList list = valid("entries: []\n");
    assertThat(list.ranges()).isEmpty();
    assertThat(list.allows(address("127.0.0.1"))).isFalse();
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', textBlock = """
      ''                          | the file is empty; write "entries: []" to deny everyone on purpose
      '   '                       | the file is empty; write "entries: []" to deny everyone on purpose
      '# only a comment'          | the file holds no YAML document; write "entries: []" to deny everyone on purpose
      '{}'                        | missing key "entries"; write "entries: []" to deny everyone on purpose
      'entries:'                  | "entries" has no value; write "entries: []" to deny everyone on purpose
      'entri'                     | the file must be a mapping with the key "entries", found a scalar "entri"
      'entries: 10.0.0.1'         | "entries" must be a list, found a scalar "10.0.0.1"
      'entries: {a: b}'           | "entries" must be a list, found a mapping
      '- 10.0.0.1'                | the file must be a mapping with the key "entries", found a list
      """)
  @DisplayName("an empty, partial or mis-shaped document is invalid, never an empty list")
  void invalidDocuments(String yaml, String problem) {
    assertThat(problems(yaml)).containsExactly(problem);
  }

  @Test
  @DisplayName("an unknown top-level key makes the file invalid even next to valid entries")
  void unknownKey() {
    assertThat(problems("entries: [10.0.0.1]\nentires: [10.0.0.2]\n"))
        .containsExactly("unknown key \"entires\" (the only key is \"entries\")");
  }

  @Test
  @DisplayName("broken YAML, a nested list and a duplicate key are reported, not thrown")
  void brokenYaml() {
    assertThat(problems("entries: [10.0.0.1\n")).singleElement().asString().startsWith("not valid YAML: ");
    assertThat(problems("entries:\n  - [10.0.0.1]\n"))
        .containsExactly("entries[0]: must be an address, CIDR block or host name, found a list");
    assertThat(problems("entries: []\nentries: [10.0.0.1]\n")).singleElement().asString().startsWith("not valid YAML: ");
  }

  @Test
  @DisplayName("every bad entry is reported, not only the first")
  void allProblems() {
    assertThat(problems("entries:\n  - 10.0.0.0/33\n  - 10.0.0.1\n  - nope_\n")).containsExactly(
        "entries[0] \"10.0.0.0/33\": prefix must be 0..32",
        "entries[2] \"nope_\": not an IP address, a CIDR block or a valid host name");
  }

  @Test
  @DisplayName("a valid file keeps its entries as written and lists which are host names")
  void entriesAsWritten() {
    AllowListFile.Result result = file.parse("entries:\n  - 10.0.0.0/8\n  - api.example.test\n  - ::1\n");
    assertThat(result).isInstanceOf(AllowListFile.Valid.class);
    AllowListFile.Valid valid = (AllowListFile.Valid) result;
    assertThat(valid.entries()).containsExactly("10.0.0.0/8", "api.example.test", "::1");
    assertThat(valid.hostNames()).containsExactly("api.example.test");
    assertThat(valid.allowList().sources()).containsExactly("10.0.0.0/8", "api.example.test", "::1");
  }

  @Test
  @DisplayName("localhost resolves through the system resolver to the loopback address")
  void localhostResolves() {
    AllowListFile.Result result = new AllowListFile(HostResolver.SYSTEM).parse("entries: [localhost]\n");
    assertThat(result).isInstanceOf(AllowListFile.Valid.class);
    assertThat(((AllowListFile.Valid) result).allowList().allows(address("127.0.0.1"))).isTrue();
  }

  @Test
  @DisplayName("an unresolvable host name is marked so that the file is retried when DNS returns")
  void unresolvedIsMarked() {
    AllowListFile.Invalid invalid = (AllowListFile.Invalid) file.parse("entries: [unknown.example.test]\n");
    assertThat(invalid.unresolvedHost()).isTrue();
    assertThat(((AllowListFile.Invalid) file.parse("entries: [10.0.0.0/40]\n")).unresolvedHost()).isFalse();
  }
}
