package io.linuxpatch.auth.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.spi.transport.Transport;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("AllowListTransport forwards the whole transport SPI")
class AllowListTransportTest {

  @Test
  @DisplayName("every method of the Vert.x transport SPI, default methods included, is overridden")
  void overridesEveryMethod() {
    List<String> missing = Arrays.stream(Transport.class.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .filter(m -> !overridden(m))
        .map(Method::toString)
        .toList();
    assertThat(missing).as("SPI methods AllowListTransport does not forward (a Vert.x upgrade added them?)").isEmpty();
  }

  @Test
  @DisplayName("the wrapped transport keeps the name and availability of the chosen one")
  void keepsIdentity() {
    io.vertx.core.transport.Transport wrapped =
        AllowListTransport.wrap(io.vertx.core.transport.Transport.NIO, new AcceptFilter());
    assertThat(wrapped.name()).isEqualTo(io.vertx.core.transport.Transport.NIO.name());
    assertThat(wrapped.available()).isTrue();
    assertThat(wrapped.implementation()).isInstanceOf(AllowListTransport.class);
  }

  private static boolean overridden(Method m) {
    try {
      return AllowListTransport.class.getDeclaredMethod(m.getName(), m.getParameterTypes()) != null;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
