package io.linuxpatch.packages.backend.dnf.inventory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What endpoint 3 shows of an installed package beyond its listing row, from ONE {@code rpm -q --queryformat …
 * -- NAME} (one package, one child: a listing never runs this): description, packager, vendor, URL, source rpm,
 * license, requirements, provides and, on request, the file list. Text fields are written with rpm's
 * {@code :shescape} like {@link InstalledRpmQuery}, each item on a record of its own with a tag ({@code H} the
 * header, {@code R} a requirement, {@code P} a provide, {@code F} a file). When several instances share the name
 * (architectures, kernels), every instance's records follow its own {@code H} record.
 */
public final class RpmDetailsQuery {

  private static final String HEADER = "H %{NAME:shescape} %{ARCH:shescape} %{EPOCHNUM} %{VERSION:shescape} "
      + "%{RELEASE:shescape} %{DESCRIPTION:shescape} %{PACKAGER:shescape} %{VENDOR:shescape} %{URL:shescape} "
      + "%{SOURCERPM:shescape} %{LICENSE:shescape}\\n";
  private static final String REQUIRES = "[R %{REQUIRENAME:shescape} '%{REQUIREFLAGS:depflags}' "
      + "%{REQUIREVERSION:shescape}\\n]";
  private static final String PROVIDES = "[P %{PROVIDENAME:shescape}\\n]";
  private static final String FILES = "[F %{FILENAMES:shescape}\\n]";

  /**
   * One instance.
   *
   * @param requires {@code {"name", "constraint"}} each, rpm's own {@code rpmlib(…)} features left out
   */
  public record Details(String name, String arch, String evr, String description, String packager, String vendor,
      String url, String sourceRpm, String license, List<JsonObject> requires, List<String> provides,
      List<String> files) {
  }

  private RpmDetailsQuery() {
  }

  /** The rpm arguments after the root options: {@code -q --queryformat FORMAT -- NAME}. */
  public static List<String> arguments(String name, boolean files) {
    return List.of("-q", "--queryformat", HEADER + REQUIRES + PROVIDES + (files ? FILES : ""), "--", name);
  }

  /** Reads rpm's output: one {@link Details} per instance, in rpm's order. */
  public static List<Details> parse(String stdout) {
    List<Details> found = new ArrayList<>();
    Builder[] current = {null};
    ShellQuotedRecords.read(stdout, (number, fields, raw) -> {
      String tag = fields.get(0).value();
      if ("H".equals(tag) && fields.size() == 12) {
        if (current[0] != null) {
          found.add(current[0].build());
        }
        current[0] = new Builder(fields);
      } else if (current[0] != null && "R".equals(tag) && fields.size() == 4) {
        String requirement = fields.get(1).valueOrEmpty();
        if (!requirement.startsWith("rpmlib(")) {
          String flags = fields.get(2).valueOrEmpty().strip();
          String version = fields.get(3).valueOrEmpty();
          current[0].requires.add(new JsonObject().put("name", requirement)
              .put("constraint", flags.isEmpty() || version.isEmpty() ? null : flags + " " + version));
        }
      } else if (current[0] != null && "P".equals(tag) && fields.size() == 2) {
        current[0].provides.add(fields.get(1).valueOrEmpty());
      } else if (current[0] != null && "F".equals(tag) && fields.size() == 2) {
        current[0].files.add(fields.get(1).valueOrEmpty());
      }
    }, (number, raw, message) -> { });
    if (current[0] != null) {
      found.add(current[0].build());
    }
    return found;
  }

  /** The names {@code rpm -q --whatrequires} printed (its "no package requires X" lines left out), once each. */
  public static List<String> requirers(String stdout) {
    Set<String> names = new LinkedHashSet<>();
    for (String line : stdout.split("\n")) {
      String name = line.strip();
      if (!name.isEmpty() && !name.startsWith("no package requires ")) {
        names.add(name);
      }
    }
    return List.copyOf(names);
  }

  /** The source package's name from a source rpm's file name ({@code demo-ssl-1.1-1.src.rpm} → {@code demo-ssl}). */
  public static String sourceName(String sourceRpm) {
    if (sourceRpm == null || !sourceRpm.endsWith(".rpm")) {
      return null;
    }
    String nvr = sourceRpm.substring(0, sourceRpm.lastIndexOf('.', sourceRpm.length() - ".rpm".length() - 1));
    int release = nvr.lastIndexOf('-');
    int version = release <= 0 ? -1 : nvr.lastIndexOf('-', release - 1);
    return version <= 0 ? null : nvr.substring(0, version);
  }

  /** The {@code dependencies} array of endpoint 3. */
  public static JsonArray dependencies(Details details) {
    return new JsonArray(new ArrayList<>(details.requires()));
  }

  private static final class Builder {
    final List<ShellQuotedRecords.Field> header;
    final List<JsonObject> requires = new ArrayList<>();
    final List<String> provides = new ArrayList<>();
    final List<String> files = new ArrayList<>();

    Builder(List<ShellQuotedRecords.Field> header) {
      this.header = header;
    }

    Details build() {
      String epoch = header.get(3).valueOrEmpty();
      String evr = ("0".equals(epoch) || epoch.isEmpty() ? "" : epoch + ":") + header.get(4).valueOrEmpty() + "-"
          + header.get(5).valueOrEmpty();
      return new Details(header.get(1).valueOrEmpty(), header.get(2).value(), evr, header.get(6).value(),
          header.get(7).value(), header.get(8).value(), header.get(9).value(), header.get(10).value(),
          header.get(11).value(), List.copyOf(requires), List.copyOf(provides), List.copyOf(files));
    }
  }
}
