//! The default phrase lists on hand-written examples, per kind and language: what must be
//! found, what must not (negation, whole words, look-alikes).

use restock_core::SignalKind::{
    self, Delivery, Gifting, Quality, RepeatPurchase, SizeFit, StockOut,
};
use restock_lexicon::signals::{Lang, SignalRules};

fn rules() -> &'static SignalRules {
    static RULES: std::sync::OnceLock<SignalRules> = std::sync::OnceLock::new();
    RULES.get_or_init(SignalRules::defaults)
}

#[track_caller]
fn shows(lang: Lang, kind: SignalKind, texts: &[&str]) {
    for text in texts {
        let found = rules().detect(text, lang);
        assert!(
            found.contains(&kind),
            "{text:?} should show {} but found {found:?}; matches {:?}",
            kind.as_str(),
            rules().matches(text, lang)
        );
    }
}

#[track_caller]
fn lacks(lang: Lang, kind: SignalKind, texts: &[&str]) {
    for text in texts {
        let found = rules().detect(text, lang);
        assert!(
            !found.contains(&kind),
            "{text:?} should not show {} but found {found:?}; matches {:?}",
            kind.as_str(),
            rules().matches(text, lang)
        );
    }
}

// ---- stock-out (unmeasured on data: no labels exist; these examples are its only check) ----

#[test]
fn stock_out_pt() {
    shows(
        Lang::Pt,
        StockOut,
        &[
            "Produto indisponível no momento",
            "produto indisponivel",
            "o produto estava em falta",
            "loja sem estoque",
            "Esgotado! Tive que comprar em outro lugar",
            "cancelaram meu pedido pois não tinham o produto",
            "cancelaram a compra por falta de estoque",
            "depois de pagar avisaram que não tinham em estoque",
            "nao tinha estoque",
        ],
    );
    lacks(
        Lang::Pt,
        StockOut,
        &[
            "produto disponível e entrega rápida",
            "tinha em estoque e chegou rápido",
            "o prazo se esgotou",
            "produto ótimo",
        ],
    );
}

#[test]
fn stock_out_en() {
    shows(
        Lang::En,
        StockOut,
        &[
            "Out of stock again!",
            "It was sold out for weeks",
            "currently unavailable",
            "They cancelled my order, apparently it was out of stock",
            "the store didn't have it in stock",
            "finally back in stock",
        ],
    );
    lacks(
        Lang::En,
        StockOut,
        &[
            "In stock and shipped fast",
            "never out of stock",
            "great stock pot",
        ],
    );
}

// ---- delivery ----

#[test]
fn delivery_pt() {
    shows(
        Lang::Pt,
        Delivery,
        &[
            "O produto não chegou",
            "nao chegou ainda",
            "ainda não recebi meu pedido",
            "a entrega atrasou uma semana",
            "chegou com atraso",
            "veio faltando uma peça",
            "entrega parcial: só recebi 2 de 3 itens",
            "comprei dois e chegou apenas um",
            "recebi o produto errado",
            "entregue fora do prazo",
            "demorou muito para chegar",
            "pedido extraviado pelos correios",
            "tive que buscar nos correios",
        ],
    );
    lacks(
        Lang::Pt,
        Delivery,
        &[
            "chegou antes do prazo",
            "entrega no prazo, tudo certo",
            "não atrasou nada",
            "entrega sem atraso",
            "nada faltando, veio tudo",
            "não demorou",
            "produto excelente",
        ],
    );
}

#[test]
fn delivery_en() {
    shows(
        Lang::En,
        Delivery,
        &[
            "It never arrived",
            "Package hasn't arrived yet",
            "I didn't receive my order",
            "The parcel arrived late",
            "Shipping was slow",
            "delivery delayed by two weeks",
            "One item was missing from the box",
            "missing items",
            "they sent the wrong item",
            "still waiting for my order",
        ],
    );
    lacks(
        Lang::En,
        Delivery,
        &[
            "Arrived early, well packed",
            "arrived on time",
            "never late, always reliable",
            "nothing was missing",
            "still waiting for a refund",
        ],
    );
}

// ---- quality ----

#[test]
fn quality_pt() {
    shows(
        Lang::Pt,
        Quality,
        &[
            "veio quebrado",
            "a tampa chegou quebrada",
            "produto com defeito",
            "péssima qualidade",
            "pessima qualidade",
            "qualidade muito ruim",
            "diferente do anunciado",
            "produto falsificado",
            "parou de funcionar em uma semana",
            "não funciona",
            "veio todo arranhado",
            "não gostei, veio quebrado",
            "não gostei veio quebrado",
        ],
    );
    lacks(
        Lang::Pt,
        Quality,
        &[
            "não veio quebrado",
            "chegou sem defeito nenhum",
            "nenhum defeito",
            "não apresentou defeito",
            "qualidade não é ruim",
            "boa qualidade",
            "ótima qualidade, recomendo",
            "comprei dois arranhadores para os gatos",
            "quebra-cabeça lindo",
        ],
    );
}

#[test]
fn quality_en() {
    shows(
        Lang::En,
        Quality,
        &[
            "It broke after two days",
            "arrived broken",
            "Defective unit",
            "cheap quality, flimsy plastic",
            "poor quality",
            "not as described",
            "this is a fake",
            "stopped working after a week",
            "doesn't work",
        ],
    );
    lacks(
        Lang::En,
        Quality,
        &[
            "not broken at all",
            "no defects",
            "arrived without damage",
            "great quality",
            "beware of fake reviews",
        ],
    );
}

// ---- size and fit ----

#[test]
fn size_fit_pt() {
    shows(
        Lang::Pt,
        SizeFit,
        &[
            "tamanho errado",
            "ficou pequeno",
            "a blusa ficou grande",
            "o sapato não serviu",
            "forma pequeno, peça um número maior",
            "muito apertado",
        ],
    );
    lacks(
        Lang::Pt,
        SizeFit,
        &[
            "tamanho certo",
            "não ficou pequeno",
            "serviu perfeitamente",
            "não serve para nada",
        ],
    );
}

#[test]
fn size_fit_en() {
    shows(
        Lang::En,
        SizeFit,
        &[
            "Way too small",
            "runs large, order a size down",
            "it doesn't fit",
            "wrong size sent",
            "the shoes were too tight",
        ],
    );
    lacks(
        Lang::En,
        SizeFit,
        &[
            "fits perfectly",
            "true to size",
            "not too small",
            "not fit for purpose",
        ],
    );
}

// ---- repeat purchase ----

#[test]
fn repeat_purchase_pt() {
    shows(
        Lang::Pt,
        RepeatPurchase,
        &[
            "comprarei novamente",
            "vou comprar de novo",
            "já é a segunda vez que compro",
            "voltarei a comprar com certeza",
            "recomprei esse produto",
            "compraria novamente",
        ],
    );
    lacks(
        Lang::Pt,
        RepeatPurchase,
        &[
            "não comprarei novamente",
            "nunca mais voltarei a comprar",
            "não vou comprar de novo",
            "não compraria novamente",
            "primeira compra",
        ],
    );
}

#[test]
fn repeat_purchase_en() {
    shows(
        Lang::En,
        RepeatPurchase,
        &[
            "Will buy again",
            "I would buy it again",
            "reordered twice already",
            "bought another one for the office",
            "second time buying this",
        ],
    );
    lacks(
        Lang::En,
        RepeatPurchase,
        &[
            "would never buy again",
            "will not buy this again",
            "I won't be buying again",
            "first purchase",
        ],
    );
}

// ---- gifting ----

#[test]
fn gifting_pt() {
    shows(
        Lang::Pt,
        Gifting,
        &[
            "comprei para presente",
            "dei de presente para minha irmã",
            "ótimo para presentear",
            "comprei para minha esposa",
            "presente de aniversário",
            "foi para o amigo secreto",
        ],
    );
    lacks(
        Lang::Pt,
        Gifting,
        &[
            "eu apresentei o produto à família",
            "até o presente momento não recebi",
            "comprei para mim",
        ],
    );
}

#[test]
fn gifting_en() {
    shows(
        Lang::En,
        Gifting,
        &[
            "Bought it as a gift",
            "great gift idea",
            "for my wife",
            "birthday present for my son",
            "a perfect Christmas present",
        ],
    );
    lacks(
        Lang::En,
        Gifting,
        &[
            "I presented it to the team",
            "paid with a gift card",
            "bought it for myself",
        ],
    );
}

// ---- general behaviour ----

#[test]
fn detect_is_sorted_and_deduplicated() {
    let found = rules().detect(
        "não chegou, atrasou, e o outro veio quebrado e com defeito; era presente",
        Lang::Pt,
    );
    assert_eq!(found, [Delivery, Quality, Gifting]);
}

#[test]
fn accents_and_case_do_not_matter() {
    for text in ["NÃO CHEGOU", "nao chegou", "Não Chegou", "não chegou"] {
        assert_eq!(rules().detect(text, Lang::Pt), [Delivery], "{text}");
    }
}

#[test]
fn languages_use_their_own_lists() {
    assert!(rules().detect("never arrived", Lang::Pt).is_empty());
    assert!(rules().detect("não chegou", Lang::En).is_empty());
}

#[test]
fn empty_and_odd_text() {
    for text in ["", "   ", "!!!", "😀😀", "\u{301}\u{301}"] {
        assert!(rules().detect(text, Lang::Pt).is_empty());
        assert!(rules().detect(text, Lang::En).is_empty());
    }
}

#[test]
fn matches_explain_negated_and_excluded_phrases() {
    let matches = rules().matches("não veio quebrado", Lang::Pt);
    assert_eq!(matches.len(), 1);
    assert_eq!(matches[0].kind, Quality);
    assert_eq!(matches[0].phrase, "quebrad*");
    assert_eq!((matches[0].start, matches[0].end), (2, 3));
    assert!(matches[0].negated && !matches[0].counts());

    let matches = rules().matches("até o presente momento", Lang::Pt);
    assert_eq!(matches.len(), 1);
    assert!(matches[0].excluded && !matches[0].negated && !matches[0].counts());
}

#[test]
fn every_kind_has_phrases_in_both_languages() {
    for lang in Lang::ALL {
        for kind in SignalKind::ALL {
            assert!(!rules().phrases(kind, lang).is_empty(), "{kind:?} {lang:?}");
        }
    }
    assert!(
        rules()
            .phrases(StockOut, Lang::Pt)
            .iter()
            .any(|p| p == "sem estoque")
    );
}

#[test]
fn lang_from_bcp47() {
    assert_eq!(Lang::from_bcp47("pt-BR"), Some(Lang::Pt));
    assert_eq!(Lang::from_bcp47("pt"), Some(Lang::Pt));
    assert_eq!(Lang::from_bcp47("EN_us"), Some(Lang::En));
    assert_eq!(Lang::from_bcp47("es"), None);
    assert_eq!(Lang::from_bcp47(""), None);
}
