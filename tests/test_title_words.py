"""The title's words come from jieba's own dictionary, held compactly: the same frequencies jieba reads."""

import jieba

from reports.rendering.words import Frequencies

DICTIONARY = (
    "法治 2000 n\n法治政府 300 n\n政府 5000 n\n建设 4000 v\n山西省 800 ns\n应急 300 v\n应急管理 120 l\n山西 900 ns\n"
)


def test_the_compact_dictionary_answers_as_jiebas_own(tmp_path):
    path = tmp_path / "dict.txt"
    path.write_text(DICTIONARY, encoding="utf-8")
    expected, total = jieba.Tokenizer().gen_pfdict(path.open("rb"))
    frequencies = Frequencies(DICTIONARY)
    assert frequencies.total == total
    for text in [*expected, "法治政府建设", "省", "管", "应急管", "西", "不在词典"]:
        assert (text in frequencies) == (text in expected), text
        assert frequencies.get(text) == expected.get(text), text


def test_words_of_one_first_character_written_apart_are_all_found():
    frequencies = Frequencies("法治 2000 n\n政府 5000 n\n法规 700 n\n")
    assert frequencies.get("法规") == 700 and frequencies.get("法治") == 2000 and "法" in frequencies
