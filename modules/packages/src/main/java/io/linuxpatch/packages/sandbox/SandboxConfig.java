package io.linuxpatch.packages.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an agent configuration needs to run a backend on a sandbox root (PKG-5): the {@code package_manager}
 * section's values and, for backends whose advisories come from a feed, {@code patches.advisory_feed}. Developer
 * mode and the tests write it into a config; every backend's sandbox gives one.
 *
 * @param backend      {@code apt}, {@code dnf} or {@code pacman}
 * @param root         {@code package_manager.root}
 * @param env          {@code package_manager.env}
 * @param options      {@code package_manager.options}
 * @param advisoryFeed {@code patches.advisory_feed}, null when the backend's repositories carry advisories
 * @param reused       whether an existing, complete sandbox was found and left as it was
 */
public record SandboxConfig(String backend, Path root, Map<String, String> env, List<String> options,
    Path advisoryFeed, boolean reused) {

  public SandboxConfig {
    env = Map.copyOf(env);
    options = List.copyOf(options);
  }
}
