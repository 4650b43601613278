package io.tetheritall.hub.daemon.wiring;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns a PEM client certificate and an unencrypted PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}, as
 * {@code openssl genpkey} writes) into a PKCS#12 keystore the MQTT client can load, readable by the
 * hub's user only. Brokers and cloud IoT services hand out PEM files; Java wants a keystore.
 */
final class PemKeystore {
    private PemKeystore() {
    }

    /** Writes the keystore to {@code out} and returns its (random) password. */
    static String write(Path certPem, Path keyPem, Path out) throws IOException {
        try {
            List<? extends Certificate> chain;
            try (var in = Files.newInputStream(certPem)) {
                chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            }
            if (chain.isEmpty()) {
                throw new IOException(certPem + ": no certificate found");
            }
            String pem = Files.readString(keyPem);
            int a = pem.indexOf("-----BEGIN PRIVATE KEY-----");
            int b = pem.indexOf("-----END PRIVATE KEY-----");
            if (a < 0 || b < a) {
                throw new IOException(keyPem + ": expected an unencrypted PKCS#8 key (BEGIN PRIVATE KEY); convert "
                        + "with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
            }
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(a + 27, b));
            String alg = chain.get(0).getPublicKey().getAlgorithm();
            PrivateKey key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            byte[] rnd = new byte[16];
            new SecureRandom().nextBytes(rnd);
            String password = HexFormat.of().formatHex(rnd);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", key, password.toCharArray(), chain.toArray(new Certificate[0]));
            Files.createDirectories(out.toAbsolutePath().getParent());
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream os = Files.newOutputStream(tmp)) {
                ks.store(os, password.toCharArray());
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return password;
        } catch (GeneralSecurityException e) {
            throw new IOException("MQTT client certificate/key: " + e.getMessage(), e);
        }
    }
}
