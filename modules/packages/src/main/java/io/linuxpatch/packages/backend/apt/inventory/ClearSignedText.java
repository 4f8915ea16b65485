package io.linuxpatch.packages.backend.apt.inventory;

/**
 * The signed text inside an OpenPGP clear-signed message (RFC 4880 §7), as apt's InRelease files are:
 * the armor header lines and the signature block are dropped and dash-escaping is undone. The signature
 * itself is apt's business: it checked it before storing the file.
 */
final class ClearSignedText {

  private static final String BEGIN = "-----BEGIN PGP SIGNED MESSAGE-----";
  private static final String SIGNATURE = "-----BEGIN PGP SIGNATURE-----";

  private ClearSignedText() {}

  /** The body of a clear-signed message, or {@code text} itself when it is not one (a plain Release). */
  static String body(String text) {
    int begin = text.indexOf(BEGIN);
    if (begin < 0 || !text.substring(0, begin).isBlank()) {
      return text;
    }
    // Armor headers ("Hash: SHA512") end at the first empty line.
    int headersEnd = text.indexOf("\n\n", begin);
    int crlfHeadersEnd = text.indexOf("\r\n\r\n", begin);
    int bodyStart;
    if (headersEnd >= 0 && (crlfHeadersEnd < 0 || headersEnd < crlfHeadersEnd)) {
      bodyStart = headersEnd + 2;
    } else if (crlfHeadersEnd >= 0) {
      bodyStart = crlfHeadersEnd + 4;
    } else {
      return "";
    }
    int signature = text.indexOf(SIGNATURE, bodyStart);
    String body = text.substring(bodyStart, signature < 0 ? text.length() : signature);
    if (body.startsWith("- ") || body.contains("\n- ")) {
      body = (body.startsWith("- ") ? body.substring(2) : body).replace("\n- ", "\n");
    }
    return body;
  }
}
