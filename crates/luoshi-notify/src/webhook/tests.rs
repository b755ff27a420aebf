#![allow(clippy::unwrap_used)]
use super::*;

// Expected signatures computed independently with
// `printf '%s\n%s' 1760000000000 SECabc123 | openssl dgst -sha256 -hmac SECabc123 -binary | base64` and
// `printf '' | openssl dgst -sha256 -hmac "$(printf '1760000000\nfeishu-secret')" -binary | base64`.
const DING_SIGN: &str = "uCaqp4J2O41cgl464ftSUvH2M4rKRN5qzhvGEFvAv3E=";
const FEISHU_SIGN: &str = "ZoddQCeyjYQD2OMy0Ec23f+zL4X01RJhlFB122asI2o=";

#[test]
fn signatures_match_independently_computed_values() {
    assert_eq!(dingtalk_sign("SECabc123", 1_760_000_000_000), DING_SIGN);
    assert_eq!(feishu_sign("feishu-secret", 1_760_000_000), FEISHU_SIGN);
    assert_eq!(percent_encode("a+b/c=d 中"), "a%2Bb%2Fc%3Dd%20%E4%B8%AD");
}

#[test]
fn each_platform_gets_its_own_shape() {
    let now = 1_760_000_000_123;
    let ding = WebhookMessage::build(
        RobotPlatform::DingTalk,
        "https://ding.example/robot/send?access_token=T",
        Some("SECabc123"),
        "逾期催办",
        "已逾期",
        1_760_000_000_000,
    );
    assert_eq!(
        ding.url,
        "https://ding.example/robot/send?access_token=T&timestamp=1760000000000&sign=uCaqp4J2O41cgl464ftSUvH2M4rKRN5qzhvGEFvAv3E%3D"
    );
    assert_eq!(
        ding.body,
        json!({"msgtype": "markdown", "markdown": {"title": "逾期催办", "text": "### 逾期催办\n\n已逾期"}})
    );
    let unsigned = WebhookMessage::build(
        RobotPlatform::DingTalk,
        "https://d.example/x",
        None,
        "t",
        "b",
        now,
    );
    assert_eq!(unsigned.url, "https://d.example/x");

    let wecom = WebhookMessage::build(
        RobotPlatform::WeCom,
        "https://wecom.example/send?key=K",
        Some("ignored"),
        "逾期催办",
        "已逾期",
        now,
    );
    assert_eq!(wecom.url, "https://wecom.example/send?key=K");
    assert_eq!(
        wecom.body,
        json!({"msgtype": "markdown", "markdown": {"content": "### 逾期催办\n已逾期"}})
    );

    let feishu = WebhookMessage::build(
        RobotPlatform::Feishu,
        "https://feishu.example/hook/abc",
        Some("feishu-secret"),
        "逾期催办",
        "已逾期",
        1_760_000_000_999,
    );
    assert_eq!(
        feishu.body,
        json!({"msg_type": "text", "content": {"text": "逾期催办\n已逾期"},
               "timestamp": "1760000000", "sign": FEISHU_SIGN})
    );
    let plain = WebhookMessage::build(
        RobotPlatform::Feishu,
        "https://f.example/h",
        Some(""),
        "t",
        "b",
        now,
    );
    assert_eq!(
        plain.body,
        json!({"msg_type": "text", "content": {"text": "t\nb"}})
    );
}

#[test]
fn replies_are_read_by_status_and_platform_code() {
    let cases = [
        (200, r#"{"errcode":0,"errmsg":"ok"}"#, None),
        (200, r#"{"code":0,"msg":"success"}"#, None),
        (200, "", None),
        (
            200,
            r#"{"errcode":310000,"errmsg":"sign not match"}"#,
            Some((false, "platform error 310000: sign not match")),
        ),
        (
            200,
            r#"{"code":19021,"msg":"sign match fail"}"#,
            Some((false, "platform error 19021: sign match fail")),
        ),
        (500, "oops", Some((false, "HTTP 500: oops"))),
        (429, "slow down", Some((false, "HTTP 429: slow down"))),
        (
            404,
            "no such robot",
            Some((true, "HTTP 404: no such robot")),
        ),
    ];
    for (status, body, want) in cases {
        let got = check_reply(status, body)
            .err()
            .map(|e| (e.permanent, e.message));
        assert_eq!(got, want.map(|(p, m)| (p, m.to_owned())), "{status} {body}");
    }
}
