"""Blanking web boilerplate: exactly the noise of the seed articles, nothing of their sentences."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from extractors import extract_stream
from extractors.cleaning import clean

INPUTS = Path(__file__).resolve().parents[2] / "inputs"
TECH_SEED = INPUTS / "000_78550d0996ebba57.txt"
GLOBAL_TIMES_SEED = INPUTS / "003_4eda478095a05fe6.txt"

#: Every piece of noise in the two seed articles, in order, with its kind.
SEED_NOISE = {
    TECH_SEED: [
        ("url", "https://twitter.com/PriapusIQ/status/1679118046974148608?s=20"),
        ("tweet", "Alibaba shares dive 7% as Ant Group’s record $34.5 billion IPO is suspended"
                  "$BABAhttps://t.co/p595Bc0zEL pic.twitter.com/2Fi8VHsBLn"),
        ("tweet", "— StockXpo – All about stocks (@StockXpo) November 4, 2020"),
        ("tweet", "Alibaba to split into 6 units and explore IPOS; shares up 14% in the U.S. "
                  "pic.twitter.com/G7IG6tXdKZ"),
        ("tweet", "— Anar Zamanli (@anarcvik) March 29, 2023"),
        ("tweet", "China tech crackdown: after a trillion-dollar rout, has the stock market "
                  "drubbing gone too far? https://t.co/ljtQqC4oTv pic.twitter.com/pdRjCiYdFp"),
        ("tweet", "— Zyite (@ZyiteGadgets) December 25, 2021"),
        ("link list", "Related News"),
        ("link list", "- Pipe-Backed Fintech CapStack Raises $6m to Derisk Bank Portfolios"),
        ("link list", "- Trends in Tech Layoffs Suggest the Bottom is Near: More Tech Companies "
                      "Are Cutting Jobs but Fewer Tech Workers Are Being Laid Off"),
        ("link list", "- Chinese ChatGPT Competitor Ernie Bot Gets Positive Reviews From Broker "
                      "Analyst Testers – Baidu Stock Soars"),
        ("ad", "Wall Street Memes (WSM) - Newest Meme Coin"),
        ("ad", "- Community of 1 Million Followers"),
        ("ad", "- Experienced NFT Project Founders"),
        ("ad", "- Listed On OKX"),
        ("ad", "- Staking Rewards"),
    ],
    GLOBAL_TIMES_SEED: [
        ("credit", "  Photo: VCG"),
        ("credit", " Photo: VCG"),
        ("hashtags", "#Chinas #Internet #stocks #jump #arm #healthy #development #platform "
                     "#economy"),
        ("credit", "Image Source :"),
        ("prompt", "Leave a Comment"),
    ],
}


@pytest.mark.parametrize("seed", SEED_NOISE, ids=lambda path: path.stem)
def test_seed_noise_is_blanked_exactly(seed):
    text = seed.read_text(encoding="utf-8")
    cleaned = clean(text)
    assert [(n.kind, n.text) for n in cleaned.noise] == SEED_NOISE[seed]
    for noise in cleaned.noise:
        assert text[noise.start:noise.end] == noise.text


@pytest.mark.parametrize("seed", SEED_NOISE, ids=lambda path: path.stem)
def test_seed_sentences_are_kept_and_noise_is_gone(seed):
    text = seed.read_text(encoding="utf-8")
    cleaned = clean(text)
    noise = [piece for _, piece in SEED_NOISE[seed]]
    assert len(cleaned.text) == len(text)
    assert [i for i, c in enumerate(cleaned.text) if c == "\n"] == [
        i for i, c in enumerate(text) if c == "\n"]
    # Every line of the article that is not noise is still there, at the same offset.
    article_lines = 0
    position = 0
    for line in text.split("\n"):
        kept = line
        for piece in noise:
            kept = kept.replace(piece, "")
        if kept.strip():
            article_lines += 1
            assert cleaned.text[position:position + len(kept)] == kept
        position += len(line) + 1
    assert article_lines == {TECH_SEED: 38, GLOBAL_TIMES_SEED: 22}[seed]
    # ... and no noise is left to parse.
    for piece in noise:
        assert piece.strip() not in cleaned.text
    for marker in ("pic.twitter.com", "t.co/", "@", "Related News", "Meme Coin", "OKX", "#",
                   "Photo:", "Image Source", "Leave a Comment"):
        assert marker not in cleaned.text


@pytest.mark.parametrize(("line", "kind"), [
    ("https://www.reuters.com/technology/china-tech-2023-07-12/", "url"),
    ("www.globaltimes.cn", "url"),
    ("— Reuters Business (@ReutersBiz) July 12, 2023", "tweet"),
    ("A post shared by Alibaba Group (@alibabagroup)", "tweet"),
    ("Tencent rose 2.88% on Thursday https://t.co/abcDEF123", "tweet"),
    ("#China #Tech", "hashtags"),
    ("Leave a Reply", "prompt"),
    ("12 Comments", "prompt"),
    ("Share this article:", "prompt"),
    ("Share on Facebook", "prompt"),
    ("Click here to subscribe.", "prompt"),
    ("Follow us on Twitter and LinkedIn", "prompt"),
    ("Sign up for our newsletter", "prompt"),
    ("Advertisement", "prompt"),
    ("Read more:", "prompt"),
    ("Image: Nicholas Moreau.", "credit"),
    ("Photo credit: Getty Images", "credit"),
    ("(Photo by Kevin Frayer/Getty Images)", "credit"),
    # Sentences that look like noise at first sight stay.
    ("Share prices of Alibaba rose 5% on Monday.", None),
    ("Comments by the premier were welcomed by investors.", None),
    ("Related news outlets reported the fine on Friday.", None),
    ("The #MeToo movement reached China in 2018.", None),
    ("Photographers waited outside the Great Hall of the People.", None),
    ("He bought a meme coin in 2021 and lost most of it.", None),
    ("- Alibaba split itself into six business units.", None),
    ("Follow the money, investors say.", None),
])
def test_line_noise_table(line, kind):
    text = f"Regulators fined Ant Group.\n{line}\nLi Qiang met executives."
    assert [n.kind for n in clean(text).noise] == ([kind] if kind else [])


@pytest.mark.parametrize(("text", "noise"), [
    # A list under a "related" heading goes, up to the first line that is not a list item.
    ("Related Articles:\n\n- Ant Group fined\n- Alibaba splits\nThe fine was the largest.",
     ["Related Articles:", "- Ant Group fined", "- Alibaba splits"]),
    # An advertising heading takes its short list items with it ...
    ("Presale ends soon - Buy $WSM\n- 50% staking yield\n- Audited by SolidProof",
     ["Presale ends soon - Buy $WSM", "- 50% staking yield", "- Audited by SolidProof"]),
    # ... but not a list of sentences, and a heading without a list is not a block.
    ("Why the meme coin rally ended\n- Prices fell by half in June.\n- Volumes dried up.", []),
    ("Related News\nThe fine was the largest ever imposed.", []),
])
def test_block_noise_table(text, noise):
    assert [n.text for n in clean(text).noise] == noise


@pytest.mark.parametrize(("line", "tail"), [
    ("Crowds gathered on the Bund.  Photo: VCG", "  Photo: VCG"),
    ("Crowds gathered on the Bund.  PICTURES: Xinhua", "  PICTURES: Xinhua"),
    ("Shares fell 3%. https://www.reuters.com/markets/", " https://www.reuters.com/markets/"),
    ("Shares fell 3%. WWW.REUTERS.COM", " WWW.REUTERS.COM"),
    # Lines that are not ASCII are looked at with the patterns' own case rules: "İ" (dotted
    # capital I) matches "i" case-insensitively, though its lower case is two characters.
    ("Crowds gathered in Ürümqi.  İmage: Reuters", "  İmage: Reuters"),
    ("Crowds gathered in Ürümqi.  Photo: Reuters", "  Photo: Reuters"),
    ("Ürümqi’s markets reopened. www.xinhuanet.com", " www.xinhuanet.com"),
    # A cue word alone is not noise.
    ("The image of Ürümqi’s markets was shared widely.", None),
    ("Photographers waited for hours.", None),
])
def test_tail_noise_table(line, tail):
    text = f"Regulators fined Ant Group.\n{line}"
    cleaned = clean(text)
    assert [n.text for n in cleaned.noise] == ([tail] if tail else [])
    assert cleaned.text == (text[:-len(tail)] + " " * len(tail) if tail else text)


def test_trailing_url_is_blanked_but_the_sentence_kept():
    text = "We believe in the Four Opens, as described here — https://governance.openstack.org/"
    cleaned = clean(text)
    assert cleaned.text.rstrip() == "We believe in the Four Opens, as described here —"
    assert [n.kind for n in cleaned.noise] == ["url"]


def test_real_news_corpora_lose_only_credits_and_trailing_urls(shared):
    """A false-positive guard: in 2,535 real articles, the only noise is what was checked by hand
    (29 "Image: ..." credits in one Wikinews photo essay, 2 URLs ending a line)."""
    kinds: Counter[str] = Counter()
    files = sorted((shared / "corpora").rglob("*.txt"))
    for path in files:
        kinds.update(noise.kind for noise in clean(path.read_text(encoding="utf-8")).noise)
    assert len(files) == 2535
    assert kinds == {"credit": 29, "url": 2}


def test_seed_triples_point_into_the_text_as_read():
    """Parsing the blanked text gives offsets that are right for the original file."""
    text = TECH_SEED.read_text(encoding="utf-8")
    (_, triples), = extract_stream([("seed", clean(text).text)])
    assert len(triples) > 30
    for triple in triples:
        p = triple.provenance
        assert text[p.sentence_start:p.sentence_end] == p.sentence
        for argument in (triple.subject, triple.object, *triple.extras):
            assert text[argument.start:argument.end] == argument.text
            assert text[argument.head_start:argument.head_end] == argument.head
    names = {t.subject.head for t in triples} | {t.object.head for t in triples}
    assert not names & {"StockXpo", "Zyite", "Pipe-Backed Fintech CapStack", "OKX",
                        "Wall Street Memes", "Staking Rewards"}
