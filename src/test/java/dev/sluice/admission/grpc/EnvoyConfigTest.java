package dev.sluice.admission.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.route.v3.RateLimit.Action;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.extensions.filters.http.ratelimit.v3.RateLimit;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example Envoy configuration ({@code deploy/envoy/envoy.yaml}) is a real one: it parses into
 * Envoy's own Bootstrap proto, typed configs included, so a misspelt field fails here; and the
 * descriptor its route makes is one Sluice reads. No Envoy binary runs on these machines.
 */
class EnvoyConfigTest {
    private static final Path CONFIG = Path.of("deploy/envoy/envoy.yaml");
    private static final TypeRegistry TYPES = TypeRegistry.newBuilder()
            .add(HttpConnectionManager.getDescriptor())
            .add(RateLimit.getDescriptor())
            .add(Router.getDescriptor())
            .add(HttpProtocolOptions.getDescriptor())
            .build();

    @Test
    void theExampleParsesIntoEnvoysBootstrapAndAsksSluiceForAPlansService() throws IOException {
        Bootstrap bootstrap = parse(Files.readString(CONFIG));

        HttpConnectionManager manager = bootstrap
                .getStaticResources()
                .getListeners(0)
                .getFilterChains(0)
                .getFilters(0)
                .getTypedConfig()
                .unpack(HttpConnectionManager.class);
        HttpFilter filter = manager.getHttpFilters(0);
        assertThat(filter.getName()).isEqualTo("envoy.filters.http.ratelimit");
        RateLimit rateLimit = filter.getTypedConfig().unpack(RateLimit.class);
        assertThat(rateLimit.getDomain()).isEqualTo(SluiceDescriptors.DOMAIN);
        var grpc = rateLimit.getRateLimitService().getGrpcService();
        assertThat(grpc.getEnvoyGrpc().getClusterName()).isEqualTo("sluice");
        assertThat(grpc.getInitialMetadataList())
                .extracting(HeaderValue::getKey)
                .containsExactly("authorization");
        assertThat(grpc.getInitialMetadata(0).getValue()).startsWith("Bearer ");
        assertThat(manager.getHttpFilters(1).getTypedConfig().is(Router.class)).isTrue();

        Cluster sluice = bootstrap.getStaticResources().getClustersList().stream()
                .filter(c -> c.getName().equals("sluice"))
                .findFirst()
                .orElseThrow();
        assertThat(sluice.getTypedExtensionProtocolOptionsOrThrow(
                                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
                        .unpack(HttpProtocolOptions.class)
                        .getExplicitHttpConfig()
                        .hasHttp2ProtocolOptions())
                .as("gRPC needs HTTP/2 to Sluice")
                .isTrue();

        // The descriptor the route's actions make, as Envoy would send it, is one Sluice reads.
        List<Action> actions = manager.getRouteConfig()
                .getVirtualHosts(0)
                .getRoutes(0)
                .getRoute()
                .getRateLimits(0)
                .getActionsList();
        RateLimitDescriptor.Builder descriptor = RateLimitDescriptor.newBuilder();
        for (Action action : actions) {
            assertThat(action.hasGenericKey()).isTrue();
            descriptor.addEntries(RateLimitDescriptor.Entry.newBuilder()
                    .setKey(action.getGenericKey().getDescriptorKey())
                    .setValue(action.getGenericKey().getDescriptorValue()));
        }
        List<SluiceDescriptors.Ask> asks = SluiceDescriptors.read(RateLimitRequest.newBuilder()
                .setDomain(rateLimit.getDomain())
                .addDescriptors(descriptor)
                .build());
        assertThat(asks).containsExactly(new SluiceDescriptors.Ask(true, "checkout-restore", "orders", 1));
    }

    @Test
    void aMisspeltFieldFailsTheCheck() throws IOException {
        String misspelt = Files.readString(CONFIG).replace("failure_mode_deny", "failure_mode_denied");
        assertThatThrownBy(() -> parse(misspelt))
                .isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageContaining("failure_mode_denied");
    }

    private static Bootstrap parse(String yaml) throws IOException {
        String json = new ObjectMapper().writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(yaml));
        Bootstrap.Builder bootstrap = Bootstrap.newBuilder();
        JsonFormat.parser().usingTypeRegistry(TYPES).merge(json, bootstrap);
        return bootstrap.build();
    }
}
