/**
 * The dnf backend's building blocks (dnf 4 / rpm 4.16+; proven on dnf 4.14 and rpm 4.18), each usable on its
 * own, to be wired into a {@code DnfBackend} behind the packages module's backend seam:
 *
 * <ul>
 *   <li>{@code version.RpmVersion} — rpm's EVR order ({@code rpmverCmp}), and {@code RpmVersion.ORDER} as the
 *       engine's injected {@code Comparator<String>};</li>
 *   <li>{@code inventory} — installed packages from one {@code rpm -qa --queryformat}
 *       ({@code InstalledRpmQuery}), available versions from one cache-only {@code dnf repoquery}
 *       streamed record by record ({@code AvailableRpmQuery}), and the stamps that key their cache
 *       ({@code DnfStamps});</li>
 *   <li>{@code plan.DnfTransaction} — dnf's {@code --assumeno} table as the shared {@code Plan}, with the
 *       from-versions of upgrades and downgrades joined from the installed list;</li>
 *   <li>{@code advisory} — {@code dnf updateinfo list} with and without {@code --with-cve} joined into
 *       {@code DnfAdvisory}s (PKG-3 severities), and {@code dnf check-update} ({@code CheckUpdate});</li>
 *   <li>{@code job} — progress and lock wait of a running dnf ({@code DnfProgress}), JOB-3 classification
 *       ({@code DnfFailure}) and the versionlock holds ({@code VersionLockList});</li>
 *   <li>{@code sandbox.DnfSandbox} — a dnf installroot with a local repository built with rpmbuild and
 *       createrepo_c, the demo catalogue installed with real dnf: what developer mode and the tests run on.</li>
 * </ul>
 *
 * Every dnf call takes the options and environment of the configuration ({@code DnfSandbox#dnfOptions()} and
 * {@code #environment()} on a sandbox), runs with {@code LC_ALL=C} (the texts parsed here are dnf's
 * untranslated ones) and puts {@code --} before package arguments.
 */
package io.linuxpatch.packages.backend.dnf;
