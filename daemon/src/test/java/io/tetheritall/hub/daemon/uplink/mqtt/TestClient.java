package io.tetheritall.hub.daemon.uplink.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.tetheritall.hub.daemon.uplink.Values;

/** A plain MQTT 5 client playing the user: subscribes, collects, publishes. */
final class TestClient implements AutoCloseable {
    record Msg(String topic, String payload, boolean retained, byte[] correlation) {
        Map<String, Object> json() {
            try {
                return Values.parseJsonObject(payload.getBytes(StandardCharsets.UTF_8));
            } catch (Values.BadPayloadException e) {
                throw new AssertionError("not a JSON object on " + topic + ": " + payload);
            }
        }
    }

    private final Mqtt5BlockingClient client;
    private final LinkedBlockingQueue<Msg> queue = new LinkedBlockingQueue<>();
    private final List<Msg> seen = new ArrayList<>();

    TestClient(int port, String id) {
        client = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(port)
                .buildBlocking();
        client.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> queue.add(msg(p)));
        client.connect();
    }

    private static Msg msg(Mqtt5Publish p) {
        byte[] corr = p.getCorrelationData().map(b -> {
            byte[] a = new byte[b.remaining()];
            b.duplicate().get(a);
            return a;
        }).orElse(null);
        return new Msg(p.getTopic().toString(), new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8), p.isRetain(), corr);
    }

    void subscribe(String filter) {
        client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
    }

    void publish(String topic, String payload) {
        client.publishWith().topic(topic).payload(payload.getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE).send();
    }

    void publishRetained(String topic, String payload) {
        client.publishWith().topic(topic).payload(payload.getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE)
                .retain(true).send();
    }

    void publishWithResponse(String topic, String payload, String responseTopic, byte[] correlation) {
        client.publishWith().topic(topic).payload(payload.getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE)
                .responseTopic(responseTopic).correlationData(correlation).send();
    }

    /** Waits for the next message (seen or new) matching; fails after {@code millis}. */
    Msg await(Predicate<Msg> p, long millis) throws InterruptedException {
        synchronized (seen) {
            for (int i = 0; i < seen.size(); i++) {
                if (p.test(seen.get(i))) {
                    return seen.remove(i);
                }
            }
        }
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            Msg m = left > 0 ? queue.poll(left, TimeUnit.MILLISECONDS) : null;
            if (m == null) {
                throw new AssertionError("no matching message within " + millis + " ms; seen: " + seen);
            }
            if (p.test(m)) {
                return m;
            }
            synchronized (seen) {
                seen.add(m);
            }
        }
    }

    Msg await(String topic) throws InterruptedException {
        return await(m -> m.topic.equals(topic), 5000);
    }

    /** Drains everything for {@code millis} and returns what arrived (including already seen). */
    List<Msg> collect(long millis) throws InterruptedException {
        List<Msg> out;
        synchronized (seen) {
            out = new ArrayList<>(seen);
            seen.clear();
        }
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            Msg m = left > 0 ? queue.poll(left, TimeUnit.MILLISECONDS) : null;
            if (m == null) {
                return out;
            }
            out.add(m);
        }
    }

    @Override
    public void close() {
        try {
            client.disconnect();
        } catch (RuntimeException ignored) {
            // already gone
        }
    }
}
