package io.linuxpatch.auth.allowlist;

import io.linuxpatch.contract.auth.IpAllowList;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads the IP allow-list file of SEC-4: a YAML mapping with the single key {@code entries}, a list of
 * IPv4/IPv6 addresses, CIDR blocks of either family and host names (resolved here, every A and AAAA).
 *
 * <p>The file is all or nothing: one bad entry, an unknown key, or a document without an explicit
 * {@code entries} list makes the whole file invalid, so that a typo or a half-written file (which an
 * editor that truncates first shows as empty) can never silently shrink or empty the list. Only
 * {@code entries: []} means "deny everyone". Resolving host names blocks: call {@link #parse} from a
 * worker thread.
 */
public final class AllowListFile {

  /** The outcome of reading one version of the file. */
  public sealed interface Result permits Valid, Invalid {}

  /**
   * A usable list.
   *
   * @param allowList the ranges, host names already resolved
   * @param entries   the file's entries as written, in order
   * @param hostNames the entries that are host names (their addresses can change without the file changing)
   */
  public record Valid(IpAllowList allowList, List<String> entries, List<String> hostNames) implements Result {
    public Valid {
      entries = List.copyOf(entries);
      hostNames = List.copyOf(hostNames);
    }
  }

  /** An unusable file; each problem names the entry or key it is about. */
  public record Invalid(List<String> problems) implements Result {
    public Invalid {
      problems = List.copyOf(problems);
    }

    /** All problems on one line, for a log message. */
    public String summary() {
      return String.join("; ", problems);
    }

    /** True when a host name did not resolve: DNS may come back without the file changing. */
    public boolean unresolvedHost() {
      return problems.stream().anyMatch(p -> p.contains("\": " + UNRESOLVED_MARK));
    }
  }

  /** The file is operator-written and small; anything bigger than this is not an allow-list. */
  static final int MAX_CHARACTERS = 1 << 20;

  private static final String UNRESOLVED_MARK = "host name does not resolve";

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
  private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");

  private final HostResolver resolver;

  public AllowListFile(HostResolver resolver) {
    this.resolver = resolver;
  }

  /** Reads one version of the file's text. Blocking when the file names hosts. */
  public Result parse(String text) {
    if (text == null || text.isBlank()) {
      return invalid("the file is empty; write \"entries: []\" to deny everyone on purpose");
    }
    if (text.length() > MAX_CHARACTERS) {
      return invalid("the file is larger than " + MAX_CHARACTERS + " characters");
    }
    Object document;
    try {
      document = yaml().load(text);
    } catch (YAMLException e) {
      return invalid("not valid YAML: " + oneLine(e.getMessage()));
    }
    if (document == null) {
      return invalid("the file holds no YAML document; write \"entries: []\" to deny everyone on purpose");
    }
    if (!(document instanceof Map<?, ?> top)) {
      return invalid("the file must be a mapping with the key \"entries\", found a " + kind(document));
    }
    List<String> problems = new ArrayList<>();
    for (Object key : top.keySet()) {
      if (!"entries".equals(key)) {
        problems.add("unknown key \"" + key + "\" (the only key is \"entries\")");
      }
    }
    if (!top.containsKey("entries")) {
      problems.add("missing key \"entries\"; write \"entries: []\" to deny everyone on purpose");
      return new Invalid(problems);
    }
    Object entries = top.get("entries");
    if (entries == null) {
      // "entries:" with nothing after it is what a truncated write of a one-key file looks like.
      problems.add("\"entries\" has no value; write \"entries: []\" to deny everyone on purpose");
      return new Invalid(problems);
    }
    if (!(entries instanceof List<?> list)) {
      problems.add("\"entries\" must be a list, found a " + kind(entries));
      return new Invalid(problems);
    }
    List<IpAllowList.Range> ranges = new ArrayList<>();
    List<String> written = new ArrayList<>();
    List<String> hostNames = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (!(item instanceof String entry)) {
        problems.add("entries[" + i + "]: must be an address, CIDR block or host name, found a " + kind(item));
        continue;
      }
      String problem = addEntry(entry.trim(), ranges);
      if (problem != null) {
        problems.add("entries[" + i + "] \"" + entry + "\": " + problem);
      } else {
        written.add(entry.trim());
        if (isHostName(entry.trim())) {
          hostNames.add(entry.trim());
        }
      }
    }
    if (!problems.isEmpty()) {
      return new Invalid(problems);
    }
    return new Valid(IpAllowList.of(ranges), written, hostNames);
  }

  /** Adds the ranges of one entry, or says what is wrong with it. */
  private String addEntry(String entry, List<IpAllowList.Range> ranges) {
    if (entry.isEmpty()) {
      return "an entry must not be empty";
    }
    int slash = entry.indexOf('/');
    if (slash >= 0) {
      return addBlock(entry, entry.substring(0, slash), entry.substring(slash + 1), ranges);
    }
    if (entry.indexOf(':') >= 0) {
      InetAddress v6 = ipv6(entry);
      if (v6 == null) {
        return "not a valid IPv6 address";
      }
      ranges.add(IpAllowList.Range.of(v6, entry));
      return null;
    }
    if (DIGITS_AND_DOTS.matcher(entry).matches()) {
      InetAddress v4 = ipv4(entry);
      if (v4 == null) {
        return "not a valid IPv4 address (four numbers 0..255 without leading zeros)";
      }
      ranges.add(IpAllowList.Range.of(v4, entry));
      return null;
    }
    return addHost(entry, ranges);
  }

  private static String addBlock(String entry, String address, String prefixText, List<IpAllowList.Range> ranges) {
    InetAddress network = address.indexOf(':') >= 0 ? ipv6(address) : ipv4(address);
    if (network == null) {
      return "a CIDR block needs an IP address before the \"/\" (host names cannot have a prefix)";
    }
    int bits = network instanceof Inet4Address ? 32 : 128;
    if (!PREFIX.matcher(prefixText).matches() || Integer.parseInt(prefixText) > bits) {
      return "prefix must be 0.." + bits;
    }
    ranges.add(IpAllowList.Range.of(network, Integer.parseInt(prefixText), entry));
    return null;
  }

  private String addHost(String host, List<IpAllowList.Range> ranges) {
    if (!isHostName(host)) {
      return "not an IP address, a CIDR block or a valid host name";
    }
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException | SecurityException e) {
      return UNRESOLVED_MARK + " (" + oneLine(e.getMessage()) + ")";
    }
    if (addresses == null || addresses.isEmpty()) {
      return UNRESOLVED_MARK + " (no address)";
    }
    for (InetAddress address : addresses) {
      ranges.add(IpAllowList.Range.of(address, host));
    }
    return null;
  }

  /** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, a final dot allowed. */
  static boolean isHostName(String name) {
    String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (bare.isEmpty() || bare.length() > 253) {
      return false;
    }
    String[] labels = bare.split("\\.", -1);
    for (String label : labels) {
      if (!HOST_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    // "10.1.2" or "1.2.3.4.5" are mistyped addresses, not names: a top-level label is never all digits.
    return !DIGITS_AND_DOTS.matcher(labels[labels.length - 1]).matches();
  }

  /** Strict dotted quad; no leading zeros, because some tools read them as octal. Null when not one. */
  static InetAddress ipv4(String text) {
    Matcher m = IPV4.matcher(text);
    if (!m.matches()) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = m.group(i + 1);
      int value = Integer.parseInt(part);
      if (value > 255 || (part.length() > 1 && part.charAt(0) == '0')) {
        return null;
      }
      bytes[i] = (byte) value;
    }
    return byAddress(bytes);
  }

  /** An IPv6 literal (zone ids refused); null when not one. Never touches DNS. */
  static InetAddress ipv6(String text) {
    // Only hex digits, colons and dots get here, so InetAddress parses a literal and never resolves a name.
    if (!IPV6_CHARACTERS.matcher(text).matches() || text.indexOf(':') < 0) {
      return null;
    }
    try {
      InetAddress address = InetAddress.getByName(text);
      return address.getAddress().length == 16 || text.startsWith("::ffff:") ? address : null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static InetAddress byAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static Invalid invalid(String problem) {
    return new Invalid(List.of(problem));
  }

  private static String kind(Object value) {
    if (value instanceof Map) {
      return "mapping";
    }
    if (value instanceof List) {
      return "list";
    }
    return "scalar \"" + value + "\"";
  }

  private static String oneLine(String message) {
    return message == null ? "no detail" : message.replaceAll("\\s+", " ").trim();
  }

  /**
   * SnakeYAML with every scalar read as a string except null: YAML 1.1 would otherwise turn
   * {@code 1:2:3:4:5:6:7:8} into a base-60 integer. No custom tags, no duplicate keys, few aliases.
   */
  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    options.setNestingDepthLimit(10);
    options.setCodePointLimit(MAX_CHARACTERS);
    Resolver onlyNull = new Resolver() {
      @Override
      protected void addImplicitResolvers() {
        addImplicitResolver(Tag.NULL, NULL, "~nN\0");
        addImplicitResolver(Tag.NULL, EMPTY, null);
      }
    };
    DumperOptions dumper = new DumperOptions();
    return new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, onlyNull);
  }
}
