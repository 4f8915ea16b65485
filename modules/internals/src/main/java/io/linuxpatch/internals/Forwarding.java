package io.linuxpatch.internals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

/**
 * Checks that a wrapper of a Vert.x SPI overrides every instance method of the interface it wraps, default methods
 * included: a method Vert.x adds in an upgrade would otherwise reach the interface's default (or nothing) instead
 * of the wrapped implementation, silently.
 */
final class Forwarding {

  private Forwarding() {}

  /** The methods of {@code spi} that {@code wrapper} does not declare itself, as readable signatures. */
  static List<String> missing(Class<?> spi, Class<?> wrapper) {
    return Arrays.stream(spi.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .filter(m -> !declares(wrapper, m))
        .map(Method::toString)
        .sorted()
        .toList();
  }

  /** Throws {@link BrokenAssumption} for {@code hook} unless {@code wrapper} forwards the whole of {@code spi}. */
  static void requireComplete(String hook, Class<?> spi, Class<?> wrapper) {
    List<String> missing = missing(spi, wrapper);
    if (!missing.isEmpty()) {
      throw new BrokenAssumption(hook, wrapper.getSimpleName() + " must forward every method of " + spi.getName()
          + ", but does not forward " + missing);
    }
  }

  private static boolean declares(Class<?> wrapper, Method m) {
    try {
      wrapper.getDeclaredMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
