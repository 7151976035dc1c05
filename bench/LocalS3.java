import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

import java.net.URI;
import java.util.Properties;

/**
 * The local S3 server for bench/snapshot.sh's S3 leg, run as a single-file program on common's test classpath (where
 * s3proxy is, as the ITs use it): s3proxy over its filesystem store, so objects go to disk as on a real server, not
 * into this heap.
 *   LocalS3 PORT DIR BUCKET IDENTITY SECRET      serves http://127.0.0.1:PORT until killed; prints "ready" once it does
 */
public final class LocalS3 {

    public static void main(String[] args) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", args[1]);
        properties.setProperty("jclouds.identity", args[3]);
        properties.setProperty("jclouds.credential", args[4]);
        BlobStore store = BlobStores.create("filesystem", properties);
        store.createContainer(args[2]);
        S3Proxy proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:" + args[0]))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, args[3], args[4]).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(50);
        }
        System.out.println("ready");
        Thread.currentThread().join();
    }
}
