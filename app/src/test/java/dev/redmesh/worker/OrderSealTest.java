package dev.redmesh.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class OrderSealTest {

    private static final String TOKEN = "rm_0123456789abcdef_secretsecretsecret";

    @Test
    void onlyTheTokenAndWorkerItWasSealedForOpenIt() {
        String sealed = OrderSeal.seal(TOKEN, "w1", "pässword");
        assertThat(sealed).startsWith("sealed:v1:").doesNotContain("pässword");
        assertThat(OrderSeal.open(TOKEN, "w1", sealed)).isEqualTo("pässword");
        assertThatThrownBy(() -> OrderSeal.open(TOKEN + "x", "w1", sealed)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OrderSeal.open(TOKEN, "w2", sealed)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSameSealForTheSamePasswordSoOrdersCompareEqual() {
        assertThat(OrderSeal.seal(TOKEN, "w1", "a")).isEqualTo(OrderSeal.seal(TOKEN, "w1", "a"))
                .isNotEqualTo(OrderSeal.seal(TOKEN, "w1", "b"))
                .isNotEqualTo(OrderSeal.seal(TOKEN, "w2", "a"));
    }

    @Test
    void aTamperedOrMalformedSealIsRefused() {
        String sealed = OrderSeal.seal(TOKEN, "w1", "password");
        byte[] raw = Base64.getDecoder().decode(sealed.substring(OrderSeal.PREFIX.length()));
        raw[raw.length - 1] ^= 1;
        String tampered = OrderSeal.PREFIX + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> OrderSeal.open(TOKEN, "w1", tampered)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OrderSeal.open(TOKEN, "w1", "password")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OrderSeal.open(TOKEN, "w1", OrderSeal.PREFIX + "AAAA")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OrderSeal.seal(null, "w1", "password")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noPasswordStaysNone() {
        assertThat(OrderSeal.seal(TOKEN, "w1", null)).isNull();
        assertThat(OrderSeal.open(TOKEN, "w1", null)).isNull();
    }
}
