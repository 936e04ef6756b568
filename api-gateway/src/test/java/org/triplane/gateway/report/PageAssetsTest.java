package org.triplane.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The self-contained page's scripts and styles, and a policy that allows exactly them. */
class PageAssetsTest {

    private static String sha256(String text) throws Exception {
        return "'sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8))) + "'";
    }

    @Test
    void theInsidePagePolicyAllowsEachInlineScriptAndTheStyleByHashAndNothingFromElsewhere() throws Exception {
        PageAssets a = PageAssets.insidePage();
        assertThat(a.embedded()).isTrue();
        assertThat(a.scripts()).hasSize(3);
        assertThat(a.scripts().get(0)).contains("Chart.js v4");
        assertThat(a.scripts().get(2)).contains("data-report-status");
        assertThat(String.join("\n", a.scripts())).doesNotContain("sourceMappingURL");
        assertThat(a.styles()).contains(".overlays img").contains(".label-20 { background-color: #ffe973; }");
        String scripts = sha256(a.scripts().get(0)) + " " + sha256(a.scripts().get(1)) + " " + sha256(a.scripts().get(2));
        assertThat(a.contentSecurityPolicy()).isEqualTo("default-src 'none'; script-src " + scripts + "; style-src "
                + sha256(a.styles()) + "; img-src data:; base-uri 'none'; form-action 'none'");
        assertThat(a.headerPolicy()).isEqualTo(a.contentSecurityPolicy() + "; frame-ancestors 'none'");
    }

    @Test
    void theServedPageLoadsOnlyThisGatewaysFiles() {
        PageAssets a = PageAssets.linkedFromGateway();
        assertThat(a.embedded()).isFalse();
        assertThat(a.scripts()).isEmpty();
        assertThat(a.headerPolicy()).isEqualTo("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    }
}
