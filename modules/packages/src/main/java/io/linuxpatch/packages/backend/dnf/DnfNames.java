package io.linuxpatch.packages.backend.dnf;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.packages.Backend;
import io.linuxpatch.contract.packages.PackageName;
import io.linuxpatch.contract.packages.PackageVersion;
import io.linuxpatch.contract.packages.Validation;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.dnf.inventory.AvailableCatalogue;
import io.linuxpatch.packages.backend.dnf.inventory.DnfInventory;
import io.linuxpatch.packages.backend.dnf.inventory.InstalledRpm;
import io.linuxpatch.packages.backend.dnf.version.RpmVersion;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * SEC-9 for dnf: what may reach dnf as a package argument. SEC-9's rpm grammar ({@link PackageName}) already refuses
 * options, globs ({@code * ? [}), provides with parentheses, paths ({@code /}), epochs and module streams
 * ({@code :}) and apt's operators. What is left is dnf's own reading of a plain word: hawkey tries, in this order,
 * {@code NAME-[EPOCH:]VERSION-RELEASE.ARCH}, {@code NAME.ARCH}, the word as a name, {@code NAME-VERSION-RELEASE},
 * {@code NAME-VERSION} (libdnf's {@code HY_FORMS_MOST_SPEC}), then provides; and a word ending in {@code .rpm} is a
 * package file. So a name is accepted only when
 *
 * <ul>
 *   <li>no earlier reading ({@code NEVRA}, {@code NA}) selects a version or architecture of another package the
 *       rpm database or the repositories have (dnf would take that, not the name);</li>
 *   <li>and, for a name no package has exactly, no reading names a known package at all ({@code demo-tool-1.1-1}
 *       is a version selector of demo-tool: 400, "send the version in its own field") — any other unknown word
 *       is 404 PKG_NOT_FOUND where the caller needs a package (never a provide dnf would resolve).</li>
 * </ul>
 *
 * A version from a request is never joined to a name as text: {@link #versionArgument} finds the exact package
 * version the repositories offer and writes its full NEVRA, which hawkey reads in its first form.
 */
public final class DnfNames {

  private DnfNames() {
  }

  /** One way hawkey reads a word. */
  record Reading(String form, String name, String version, String release, String arch) {

    /** Whether a package version matches this reading (absent parts match anything). */
    boolean matches(String packageName, RpmVersion evr, String packageArch) {
      return name.equals(packageName) && (version == null || version.equals(evr.version()))
          && (release == null || release.equals(evr.release())) && (arch == null || arch.equals(packageArch));
    }

    String describe() {
      StringBuilder text = new StringBuilder(name);
      if (version != null) {
        text.append(" version ").append(version).append(release == null ? "" : "-" + release);
      }
      if (arch != null) {
        text.append(" for architecture ").append(arch);
      }
      return text.toString();
    }
  }

  /**
   * {@code name} when it passes SEC-9 and none of dnf's readings of it selects something else; a 400 refusal
   * naming the rule otherwise. An unknown name passes (the caller decides whether it needs a known package).
   */
  public static String valid(String name, DnfInventory inventory) {
    Validation v = PackageName.validate(name, Backend.DNF, inventory::knows);
    if (v instanceof Validation.Invalid invalid) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, invalid.message(), invalid.details());
    }
    if (name.endsWith(".rpm")) {
      throw refusal(name, "package-file", "package name \"" + name + "\" ends with .rpm: dnf would read it as a "
          + "package file to install");
    }
    boolean known = inventory.knows(name);
    for (Reading reading : readings(name)) {
      // A known name loses only to the readings hawkey tries before the plain name, and only when they select a
      // package version that exists; an unknown word that reads as a selector of a known package is one.
      boolean beforeName = reading.form().equals("NEVRA") || reading.form().equals("NA");
      boolean selects = known ? beforeName && matchesAny(reading, inventory) : inventory.knows(reading.name());
      if (selects) {
        throw refusal(name, "selector", "package name \"" + name + "\" is not a package name: dnf would read it as "
            + reading.describe() + "; send the version in its own field");
      }
    }
    return name;
  }

  /** {@link #valid}, and a package the rpm database or a repository has exactly: else 404 PKG_NOT_FOUND. */
  public static String known(String name, DnfInventory inventory) {
    valid(name, inventory);
    if (!inventory.knows(name)) {
      throw new BackendRefusal(ErrorCode.PKG_NOT_FOUND, "no package " + name + " is installed or offered by a "
          + "repository", new JsonObject().put("name", name));
    }
    return name;
  }

  /** {@link #known}, and installed: else 404 PKG_NOT_FOUND. */
  public static String installed(String name, DnfInventory inventory) {
    known(name, inventory);
    if (!inventory.isInstalled(name)) {
      throw new BackendRefusal(ErrorCode.PKG_NOT_FOUND, name + " is not installed", new JsonObject().put("name", name));
    }
    return name;
  }

  /** A version from a request, SEC-9's form; a 400 refusal otherwise. */
  public static String validVersion(String version) {
    Validation v = PackageVersion.validate(version);
    if (v instanceof Validation.Invalid invalid) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, invalid.message(), invalid.details());
    }
    return version;
  }

  /**
   * The argument that makes dnf take exactly {@code version} of {@code name}: the full {@code NAME-EPOCH:V-R.ARCH}
   * of the offered package whose version matches ({@code V}, {@code V-R} or {@code E:V-R}; the newest release of a
   * bare {@code V}), on the architecture of the installed instance when there is one. 404 PKG_VERSION_NOT_FOUND when
   * no repository offers it.
   */
  public static String versionArgument(String name, String version, DnfInventory inventory) {
    validVersion(version);
    Optional<Integer> row = offeredRow(name, version, inventory);
    if (row.isEmpty()) {
      throw new BackendRefusal(ErrorCode.PKG_VERSION_NOT_FOUND, "no repository offers " + name + " " + version,
          new JsonObject().put("name", name).put("version", version));
    }
    AvailableCatalogue catalogue = inventory.catalogue();
    RpmVersion evr = RpmVersion.parse(catalogue.evr(row.get()));
    return nevra(name, evr, catalogue.arch(row.get()));
  }

  /** The catalogue row of {@code name} at {@code version} (see {@link #versionArgument}), if offered. */
  public static Optional<Integer> offeredRow(String name, String version, DnfInventory inventory) {
    RpmVersion wanted = RpmVersion.parse(version);
    String installedArch = inventory.installed(name).stream().map(p -> p.nevra().arch()).findFirst().orElse(null);
    AvailableCatalogue catalogue = inventory.catalogue();
    int first = catalogue.firstRow(name);
    Integer best = null;
    RpmVersion bestVersion = null;
    for (int row = first, end = first < 0 ? 0 : catalogue.endOfName(first); first >= 0 && row < end; row++) {
      RpmVersion offered = RpmVersion.parse(catalogue.evr(row));
      boolean same = offered.version().equals(wanted.version())
          && (wanted.release() == null || Objects.equals(wanted.release(), offered.release()))
          && (wanted.epoch() == null || wanted.epochNumber() == offered.epochNumber());
      String arch = catalogue.arch(row);
      boolean fits = installedArch == null || arch.equals(installedArch) || arch.equals("noarch")
          || installedArch.equals("noarch");
      if (same && fits && (best == null || offered.isNewerThan(bestVersion))) {
        best = row;
        bestVersion = offered;
      }
    }
    return Optional.ofNullable(best);
  }

  /** {@code name-EPOCH:VERSION-RELEASE.ARCH}, the form hawkey tries first; the epoch always written. */
  public static String nevra(String name, RpmVersion evr, String arch) {
    return name + "-" + evr.epochNumber() + ":" + evr.version() + (evr.release() == null ? "" : "-" + evr.release())
        + "." + arch;
  }

  /** hawkey's readings of {@code word} that split it, in the order it tries them (the plain name left out). */
  static List<Reading> readings(String word) {
    List<Reading> readings = new ArrayList<>();
    int dot = word.lastIndexOf('.');
    if (dot > 0 && dot < word.length() - 1 && word.indexOf('-', dot) < 0) {
      String arch = word.substring(dot + 1);
      String rest = word.substring(0, dot);
      nevr(rest).ifPresent(r -> readings.add(new Reading("NEVRA", r.name(), r.version(), r.release(), arch)));
      readings.add(new Reading("NA", rest, null, null, arch));
    }
    nevr(word).ifPresent(readings::add);
    int dash = word.lastIndexOf('-');
    if (dash > 0 && dash < word.length() - 1) {
      readings.add(new Reading("NEV", word.substring(0, dash), word.substring(dash + 1), null, null));
    }
    return readings;
  }

  private static Optional<Reading> nevr(String word) {
    int releaseDash = word.lastIndexOf('-');
    int versionDash = releaseDash <= 0 ? -1 : word.lastIndexOf('-', releaseDash - 1);
    if (versionDash <= 0 || releaseDash == word.length() - 1 || versionDash + 1 == releaseDash) {
      return Optional.empty();
    }
    return Optional.of(new Reading("NEVR", word.substring(0, versionDash), word.substring(versionDash + 1, releaseDash),
        word.substring(releaseDash + 1), null));
  }

  private static boolean matchesAny(Reading reading, DnfInventory inventory) {
    for (InstalledRpm p : inventory.installed(reading.name())) {
      if (reading.matches(p.name(), p.evr(), p.nevra().arch())) {
        return true;
      }
    }
    AvailableCatalogue catalogue = inventory.catalogue();
    int first = catalogue.firstRow(reading.name());
    for (int row = first, end = first < 0 ? 0 : catalogue.endOfName(first); first >= 0 && row < end; row++) {
      if (reading.matches(reading.name(), RpmVersion.parse(catalogue.evr(row)), catalogue.arch(row))) {
        return true;
      }
    }
    return false;
  }

  private static BackendRefusal refusal(String name, String rule, String message) {
    return new BackendRefusal(ErrorCode.INVALID_REQUEST, message,
        new JsonObject().put("field", "name").put("rule", rule));
  }
}
