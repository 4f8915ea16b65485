package io.linuxpatch.packages.backend.dnf.sandbox;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One advisory of a sandbox repository's {@code updateinfo.xml} (the metadata {@code dnf updateinfo} reads),
 * in the form the shared notes proved dnf 4.14 understands.
 *
 * @param id       e.g. {@code DEMO-2026:0001}
 * @param type     {@code security}, {@code bugfix}, {@code enhancement} or {@code newpackage}
 * @param severity {@code Critical}, {@code Important}, {@code Moderate}, {@code Low}, or {@code null} for none
 * @param title    one line
 * @param issued   {@code YYYY-MM-DD HH:MM:SS}
 * @param cves     CVE ids referenced by the advisory
 * @param packages the package versions that fix it (each with an architecture)
 */
public record UpdateAdvisory(String id, String type, String severity, String title, String issued,
    String description, List<String> cves, List<RpmSpec> packages) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._-]{0,63}");
  private static final Pattern TYPE = Pattern.compile("security|bugfix|enhancement|newpackage");
  private static final Pattern SEVERITY = Pattern.compile("Critical|Important|Moderate|Low");
  private static final Pattern ISSUED = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
  private static final Pattern CVE = Pattern.compile("CVE-\\d{4}-\\d{4,}");

  public UpdateAdvisory {
    require("id", id, ID);
    require("type", type, TYPE);
    if (severity != null) {
      require("severity", severity, SEVERITY);
    }
    Objects.requireNonNull(title, "title");
    require("issued", issued, ISSUED);
    Objects.requireNonNull(description, "description");
    cves = List.copyOf(cves);
    cves.forEach(c -> require("CVE id", c, CVE));
    packages = List.copyOf(packages);
    for (RpmSpec pkg : packages) {
      if (pkg.arch() == null) {
        throw new IllegalArgumentException(pkg.name() + ": an advisory names packages with a fixed architecture");
      }
    }
  }

  /** The {@code <update>} element. */
  String toXml() {
    StringBuilder xml = new StringBuilder();
    xml.append("  <update from=\"sandbox@example.invalid\" status=\"stable\" type=\"").append(type)
        .append("\" version=\"1\">\n")
        .append("    <id>").append(escape(id)).append("</id>\n")
        .append("    <title>").append(escape(title)).append("</title>\n");
    if (severity != null) {
      xml.append("    <severity>").append(severity).append("</severity>\n");
    }
    xml.append("    <issued date=\"").append(issued).append("\"/>\n")
        .append("    <references>\n");
    for (String cve : cves) {
      xml.append("      <reference href=\"https://www.cve.org/CVERecord?id=").append(cve).append("\" id=\"").append(cve)
          .append("\" type=\"cve\" title=\"").append(cve).append("\"/>\n");
    }
    xml.append("    </references>\n")
        .append("    <description>").append(escape(description)).append("</description>\n")
        .append("    <pkglist>\n      <collection short=\"sandbox\">\n        <name>sandbox</name>\n");
    for (RpmSpec pkg : packages) {
      xml.append("        <package name=\"").append(pkg.name())
          .append("\" version=\"").append(pkg.version())
          .append("\" release=\"").append(pkg.release())
          .append("\" epoch=\"").append(pkg.epoch() == null ? 0 : pkg.epoch())
          .append("\" arch=\"").append(pkg.arch()).append("\">\n")
          .append("          <filename>").append(pkg.nameVersionRelease()).append('.').append(pkg.arch())
          .append(".rpm</filename>\n")
          .append("        </package>\n");
    }
    xml.append("      </collection>\n    </pkglist>\n  </update>\n");
    return xml.toString();
  }

  /** The whole {@code updateinfo.xml} for {@code advisories}. */
  static String document(List<UpdateAdvisory> advisories) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<updates>\n");
    advisories.forEach(a -> xml.append(a.toXml()));
    return xml.append("</updates>\n").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static void require(String what, String value, Pattern pattern) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException("invalid advisory " + what + " \"" + value + "\"");
    }
  }
}
