package io.linuxpatch.packages.backend.dnf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class whose sandbox dnf, rpm or rpmbuild runs changed this machine's own rpm database, dnf
 * state, caches, configuration or logs ({@link HostRpmState}): captured before the class's {@code @BeforeAll}
 * methods and compared after all of its tests.
 */
public final class HostRpmStateGuard implements BeforeAllCallback, AfterAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HostRpmStateGuard.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NAMESPACE).put(context.getRequiredTestClass(), HostRpmState.capture());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    HostRpmState before = context.getStore(NAMESPACE).get(context.getRequiredTestClass(), HostRpmState.class);
    assertThat(HostRpmState.capture().files())
        .as("the host's rpm database, dnf state, caches, configuration and logs after %s", context.getDisplayName())
        .isEqualTo(before.files());
  }
}
