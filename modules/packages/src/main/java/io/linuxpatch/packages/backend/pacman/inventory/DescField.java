package io.linuxpatch.packages.backend.pacman.inventory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fields of pacman's {@code desc} files (the local database's {@code local/NAME-VER/desc} and each entry of a
 * sync database) that the inventory keeps. A {@code desc} file is blocks of a {@code %FIELD%} line followed by
 * value lines up to a blank line; the multi-valued fields ({@code %DEPENDS%} …) have one value per line. Fields
 * not listed here ({@code %FILENAME%}, {@code %MD5SUM%}, {@code %LICENSE%}, {@code %VALIDATION%}, {@code %XDATA%}
 * …) are skipped.
 */
enum DescField {
  // text fields, kept in the byte arena in this order
  NAME("%NAME%", true, false),
  VERSION("%VERSION%", true, false),
  BASE("%BASE%", true, false),
  DESCRIPTION("%DESC%", true, false),
  URL("%URL%", true, false),
  ARCHITECTURE("%ARCH%", true, false),
  PACKAGER("%PACKAGER%", true, false),
  DEPENDS("%DEPENDS%", true, true),
  CONFLICTS("%CONFLICTS%", true, true),
  PROVIDES("%PROVIDES%", true, true),
  REPLACES("%REPLACES%", true, true),
  // numeric fields, kept in columns of longs
  /** The local database's installed size. */
  SIZE("%SIZE%", false, false),
  /** A sync database's installed size. */
  INSTALLED_SIZE("%ISIZE%", false, false),
  /** A sync database's download size. */
  DOWNLOAD_SIZE("%CSIZE%", false, false),
  BUILD_DATE("%BUILDDATE%", false, false),
  INSTALL_DATE("%INSTALLDATE%", false, false),
  /** 0 explicitly installed (also when absent), 1 installed as a dependency. */
  REASON("%REASON%", false, false);

  /** How many text fields each row has in the arena. */
  static final int TEXT_FIELDS = 11;

  private static final DescField[] VALUES = values();

  final byte[] header;
  final boolean text;
  final boolean multiValued;

  DescField(String header, boolean text, boolean multiValued) {
    this.header = header.getBytes(StandardCharsets.US_ASCII);
    this.text = text;
    this.multiValued = multiValued;
  }

  /** The field whose header line is {@code line[from, to)}, or null for a field the inventory skips. */
  static DescField ofHeader(byte[] line, int from, int to) {
    for (DescField field : VALUES) {
      if (Arrays.equals(field.header, 0, field.header.length, line, from, to)) {
        return field;
      }
    }
    return null;
  }
}
