package io.linuxpatch.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Reads and writes PEM: certificates, private keys (PKCS#8 and the traditional EC/RSA forms) and CRLs,
 * and writes files atomically with their final permissions from the first byte.
 *
 * <p>Conversions use the JDK's default providers (BouncyCastle is only the parser), so nothing here
 * registers a security provider behind the rest of the agent's back.
 */
public final class PemFiles {

  /** Private keys: owner read/write only. */
  public static final Set<PosixFilePermission> KEY_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
  /** Certificates and CRLs are public information. */
  public static final Set<PosixFilePermission> CERTIFICATE_PERMISSIONS =
      PosixFilePermissions.fromString("rw-r--r--");
  /** Directories this class creates hold keys, so only their owner may list them. */
  public static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

  private PemFiles() {}

  /** Every certificate in a PEM file, in file order; other PEM blocks are skipped. */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    return parseCertificates(Files.readAllBytes(file));
  }

  /** The private key in a PEM file (PKCS#8 {@code PRIVATE KEY}, {@code EC PRIVATE KEY} or {@code RSA PRIVATE KEY}). */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    return parsePrivateKey(Files.readAllBytes(file));
  }

  /** The CRL in a file, PEM or DER (CAs publish both, and the JDK's TLS stack accepts both). */
  public static X509CRL readCrl(Path file) throws IOException {
    return parseCrl(Files.readAllBytes(file));
  }

  /**
   * Parses certificates from PEM bytes.
   *
   * @throws PemFormatException when there is no certificate or a block is malformed
   */
  public static List<X509Certificate> parseCertificates(byte[] pem) throws PemFormatException {
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> certificates = new ArrayList<>();
    List<Object> objects = pemObjects(pem);
    for (Object object : objects) {
      if (object instanceof X509CertificateHolder holder) {
        try {
          certificates.add(converter.getCertificate(holder));
        } catch (CertificateException | RuntimeException e) {
          throw new PemFormatException("a CERTIFICATE block is not a valid X.509 certificate: " + reason(e), e);
        }
      }
    }
    if (certificates.isEmpty()) {
      throw new PemFormatException(nothingFound(pem, objects, "a PEM certificate (-----BEGIN CERTIFICATE-----)",
          "openssl x509 -inform der -in FILE -out FILE.pem"));
    }
    return List.copyOf(certificates);
  }

  /**
   * Parses exactly one private key from PEM bytes.
   *
   * @throws PemFormatException when there is no key, more than one, or it is encrypted
   */
  public static PrivateKey parsePrivateKey(byte[] pem) throws PemFormatException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    List<PrivateKey> keys = new ArrayList<>();
    List<Object> objects = pemObjects(pem);
    for (Object object : objects) {
      try {
        if (object instanceof PrivateKeyInfo info) {
          keys.add(converter.getPrivateKey(info));
        } else if (object instanceof PEMKeyPair pair) {
          // not getKeyPair(): an EC PRIVATE KEY may omit its optional public key, which makes that throw
          keys.add(converter.getPrivateKey(pair.getPrivateKeyInfo()));
        } else if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
          // The agent starts unattended and cannot ask for a passphrase; file permissions protect the key.
          throw new PemFormatException("the private key is encrypted with a passphrase; the agent cannot "
              + "prompt for it, store it unencrypted with mode 0600 (openssl pkey -in KEY -out KEY.pem)");
        }
        // other blocks (EC PARAMETERS from openssl ecparam -genkey, a certificate) are not keys: skip them
      } catch (PEMException | RuntimeException e) {
        throw new PemFormatException("the private key block cannot be decoded: " + reason(e), e);
      }
    }
    if (keys.isEmpty()) {
      throw new PemFormatException(nothingFound(pem, objects,
          "a PEM private key (-----BEGIN PRIVATE KEY-----, EC PRIVATE KEY or RSA PRIVATE KEY)",
          "openssl pkey -inform der -in FILE -out FILE.pem"));
    }
    if (keys.size() > 1) {
      throw new PemFormatException("it holds " + keys.size() + " private keys; keep exactly one key per file");
    }
    return keys.get(0);
  }

  /**
   * Parses a CRL from PEM or DER bytes.
   *
   * @throws PemFormatException when the bytes are not a CRL
   */
  public static X509CRL parseCrl(byte[] bytes) throws PemFormatException {
    List<Object> objects = List.of();
    try {
      if (bytes.length > 0 && bytes[0] == 0x30) {
        // DER: a SEQUENCE tag, which can never start a PEM text file
        return new JcaX509CRLConverter().getCRL(new X509CRLHolder(bytes));
      }
      objects = pemObjects(bytes);
      for (Object object : objects) {
        if (object instanceof X509CRLHolder holder) {
          return new JcaX509CRLConverter().getCRL(holder);
        }
      }
    } catch (PemFormatException e) {
      throw e;
    } catch (IOException | CRLException | RuntimeException e) {
      throw new PemFormatException("it is not a valid X.509 CRL: " + reason(e), e);
    }
    throw new PemFormatException(nothingFound(bytes, objects, "a CRL (-----BEGIN X509 CRL----- or DER)", null));
  }

  /**
   * PEM text for an {@link X509Certificate}, {@link X509CRL}, {@link PrivateKey} (always PKCS#8
   * {@code PRIVATE KEY}), {@link PublicKey}, or a collection of these (concatenated, e.g. a chain).
   */
  public static String encode(Object object) {
    StringWriter text = new StringWriter();
    try (PemWriter writer = new PemWriter(text)) {
      write(writer, object);
    } catch (IOException e) {
      throw new IllegalStateException("writing PEM to memory failed", e); // a StringWriter does not fail
    }
    return text.toString();
  }

  /**
   * Replaces {@code file} atomically: the content goes to a temporary file in the same directory that
   * is created with {@code permissions} (so a key is never readable by others, not even for a moment),
   * is fsynced, renamed over the target and the directory is fsynced, so a crash leaves either the old
   * or the new file, never a torn one. Missing parent directories are created with mode 0700.
   */
  public static void writeAtomically(Path file, String content, Set<PosixFilePermission> permissions)
      throws IOException {
    writeAtomically(file, content.getBytes(StandardCharsets.US_ASCII), permissions);
  }

  /** The same for bytes as they are (a backup copy of a file whatever it holds). */
  public static void writeAtomically(Path file, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    Path target = file.toAbsolutePath();
    Path directory = target.getParent();
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS));
    }
    Path temp = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp",
        PosixFilePermissions.asFileAttribute(permissions));
    try {
      // creation applies the umask, which can only remove bits; set the exact mode before any content
      Files.setPosixFilePermissions(temp, permissions);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(content);
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + target + " atomically on this file system", e);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true); // makes the rename itself durable
    }
  }

  private static void write(PemWriter writer, Object object) throws IOException {
    try {
      if (object instanceof X509Certificate certificate) {
        writer.writeObject(new PemObject("CERTIFICATE", certificate.getEncoded()));
      } else if (object instanceof X509CRL crl) {
        writer.writeObject(new PemObject("X509 CRL", crl.getEncoded()));
      } else if (object instanceof PrivateKey key) {
        // key.getEncoded() is PKCS#8 for every JDK key; BC's generator would write the traditional form
        writer.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
      } else if (object instanceof PublicKey key) {
        writer.writeObject(new PemObject("PUBLIC KEY", key.getEncoded()));
      } else if (object instanceof Collection<?> objects) {
        for (Object each : objects) {
          write(writer, each);
        }
      } else {
        throw new IllegalArgumentException("cannot PEM-encode " + (object == null ? "null" : object.getClass()));
      }
    } catch (CertificateEncodingException | CRLException e) {
      throw new IllegalArgumentException("the object cannot be DER-encoded: " + e.getMessage(), e);
    }
  }

  private static List<Object> pemObjects(byte[] pem) throws PemFormatException {
    List<Object> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(
        new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        objects.add(object);
      }
    } catch (IOException | RuntimeException e) {
      // BC reports bad base64 as a runtime DecoderException, a missing END line as an IOException
      throw new PemFormatException("it is not valid PEM (" + reason(e) + ")", e);
    }
    return objects;
  }

  /** Why nothing was found, guessing the common mistakes: an empty file, DER, a file of the wrong kind. */
  private static String nothingFound(byte[] content, List<Object> found, String expected, String derFix) {
    if (content.length == 0) {
      return "the file is empty; expected " + expected;
    }
    if (content[0] == 0x30 && derFix != null) {
      return "it looks like binary DER, not PEM; convert it (" + derFix + ")";
    }
    if (isBinary(content)) {
      return "it is a binary file, not " + expected;
    }
    if (!found.isEmpty()) {
      return "it holds " + describe(found.get(0)) + " but not " + expected;
    }
    return "it does not contain " + expected;
  }

  /** PEM is 7-bit text: a NUL or a high byte near the start means someone pointed us at a binary. */
  private static boolean isBinary(byte[] content) {
    for (int i = 0; i < Math.min(content.length, 512); i++) {
      if (content[i] == 0 || content[i] < 0) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Object object) {
    if (object instanceof X509CertificateHolder) {
      return "a certificate";
    }
    if (object instanceof X509CRLHolder) {
      return "a CRL";
    }
    if (object instanceof PrivateKeyInfo || object instanceof PEMKeyPair) {
      return "a private key";
    }
    if (object instanceof ASN1ObjectIdentifier) {
      return "only EC PARAMETERS";
    }
    return "a " + object.getClass().getSimpleName().replaceAll("Holder$|Info$", "") + " block";
  }

  private static String reason(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
