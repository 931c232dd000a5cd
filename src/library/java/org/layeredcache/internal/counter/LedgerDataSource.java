package org.layeredcache.internal.counter;

import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which data source the counters' ledger is written to when {@code layered-cache.counters.datasource} is not set:
 * the {@code jta-data-source} of the application's persistence units, when they name exactly one (the flush
 * methods write through them, and the ledger must be written in the same database and transaction), else the
 * server's {@code java:comp/DefaultDataSource}.
 */
final class LedgerDataSource {

    private static final Logger LOG = Logger.getLogger(LedgerDataSource.class.getName());
    static final String SERVER_DEFAULT = "java:comp/DefaultDataSource";

    private LedgerDataSource() {
    }

    /** The JNDI name to use, found in {@code loader}'s {@code META-INF/persistence.xml} files. */
    static String find(Optional<String> configured, ClassLoader loader) {
        if (configured.isPresent()) {
            return configured.get();
        }
        Set<String> named = new TreeSet<>();
        try {
            Enumeration<URL> units = loader.getResources("META-INF/persistence.xml");
            while (units.hasMoreElements()) {
                named.addAll(jtaDataSources(units.nextElement()));
            }
        } catch (Exception e) {
            LOG.log(Level.FINE, "The persistence units were not read", e);
        }
        if (named.size() == 1) {
            return named.iterator().next();
        }
        if (named.size() > 1) {
            LOG.warning("The persistence units name several data sources " + named + ": the counters' ledger goes"
                    + " to " + SERVER_DEFAULT + " unless layered-cache.counters.datasource names the one the flush"
                    + " methods write to");
        }
        return SERVER_DEFAULT;
    }

    private static Set<String> jtaDataSources(URL persistenceXml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setExpandEntityReferences(false);
        Set<String> names = new TreeSet<>();
        try (InputStream in = persistenceXml.openStream()) {
            NodeList found = factory.newDocumentBuilder().parse(in).getElementsByTagName("jta-data-source");
            for (int i = 0; i < found.getLength(); i++) {
                String name = found.item(i).getTextContent().trim();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
