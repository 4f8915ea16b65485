package io.linuxpatch.auth.allowlist;

import io.linuxpatch.contract.auth.IpAllowList;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What changed between two allow-lists, for the INFO log and the audit record SEC-4 asks for.
 *
 * @param added      entries only in the newer list
 * @param removed    entries only in the older list
 * @param reresolved host names in both lists whose addresses changed
 */
public record AllowListDiff(List<String> added, List<String> removed, List<String> reresolved) {

  public AllowListDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    reresolved = List.copyOf(reresolved);
  }

  public static AllowListDiff between(IpAllowList older, IpAllowList newer) {
    Map<String, TreeSet<String>> before = rangesBySource(older);
    Map<String, TreeSet<String>> after = rangesBySource(newer);
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> reresolved = new ArrayList<>();
    after.forEach((source, ranges) -> {
      if (!before.containsKey(source)) {
        added.add(source);
      } else if (!Objects.equals(before.get(source), ranges)) {
        reresolved.add(source);
      }
    });
    before.keySet().stream().filter(source -> !after.containsKey(source)).forEach(removed::add);
    return new AllowListDiff(added, removed, reresolved);
  }

  /** True when both lists admit exactly the same addresses under the same entries. */
  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty() && reresolved.isEmpty();
  }

  @Override
  public String toString() {
    return "added " + added + ", removed " + removed + (reresolved.isEmpty() ? "" : ", re-resolved " + reresolved);
  }

  private static Map<String, TreeSet<String>> rangesBySource(IpAllowList list) {
    Map<String, TreeSet<String>> map = new LinkedHashMap<>();
    for (IpAllowList.Range range : list.ranges()) {
      map.computeIfAbsent(range.source(), s -> new TreeSet<>()).add(text(range));
    }
    return map;
  }

  private static String text(IpAllowList.Range range) {
    try {
      return InetAddress.getByAddress(range.network()).getHostAddress() + "/" + range.prefix();
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
