package io.linuxpatch.packages.backend.apt.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class whose sandbox apt/dpkg runs changed the host's package database or logs: the state is
 * captured before the class's {@code @BeforeAll} methods and compared after all of its tests.
 */
public final class HostPackageDatabaseGuard implements BeforeAllCallback, AfterAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(HostPackageDatabaseGuard.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NAMESPACE).put(context.getRequiredTestClass(), HostPackageState.capture());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    HostPackageState before =
        context.getStore(NAMESPACE).get(context.getRequiredTestClass(), HostPackageState.class);
    assertThat(HostPackageState.capture())
        .as("the host's dpkg status, apt state and logs after %s", context.getDisplayName())
        .isEqualTo(before);
  }
}
