package io.linuxpatch.contract.config;

/** {@code whitelist} section (SEC-4): where the IP allow-list file is. */
public record WhitelistConfig(String path) {

  static WhitelistConfig read(ConfigReader r) {
    WhitelistConfig c = new WhitelistConfig(r.path("path", "/etc/linux_patch_api/whitelist.yaml"));
    r.rejectUnknownKeys();
    return c;
  }
}
