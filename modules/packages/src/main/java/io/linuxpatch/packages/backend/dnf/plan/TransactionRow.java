package io.linuxpatch.packages.backend.dnf.plan;

import io.linuxpatch.packages.backend.dnf.inventory.Nevra;
import java.util.List;

/**
 * One package row of dnf's transaction table: {@code name arch [epoch:]version-release repository size},
 * with the packages it replaces (obsoletes) from the indented "replacing" lines under it.
 *
 * @param section    the block the row is listed in
 * @param evr        for an install, upgrade, downgrade or reinstall the version afterwards; for a removal the
 *                   installed version being removed
 * @param repository the repository id ({@code demo}), {@code @demo}/{@code @System} for installed packages,
 *                   {@code @commandline} for a local file
 * @param size       dnf's human size text ({@code 6.1 k}, {@code 16}), may be empty
 * @param replacing  the installed packages this one obsoletes
 */
public record TransactionRow(TransactionSection section, String name, String arch, String evr, String repository,
    String size, List<Nevra> replacing) {

  public TransactionRow {
    replacing = List.copyOf(replacing);
  }
}
