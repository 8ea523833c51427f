"""Sign categories for the practice picker (signdesk.practice.categories) and the bundled labels."""

from __future__ import annotations

import json

import pytest

from signdesk.custom import CustomSign
from signdesk.practice.categories import (
    MY_SIGNS,
    label_file_categories,
    sign_categories,
)
from signdesk.recognizer import Label, bundled_models, load_labels

MODELS = {m.name: m for m in bundled_models()}


def test_karsl_signs_fall_into_numbers_letters_and_health_by_their_ids():
    info = MODELS["karsl-arabic"]
    labels, _ = load_labels(info.labels)  # the extra key does not disturb the label loader
    found = sign_categories(labels, info.labels)
    assert len(found) == len(labels) == 82
    for label in labels:
        n = int(label.id)
        assert found[label.id] == ("Numbers" if n <= 31 else "Letters" if n <= 70 else "Health"), label


def test_every_asl_basics_sign_has_a_category():
    info = MODELS["asl-basics"]
    labels, _ = load_labels(info.labels)
    found = sign_categories(labels, info.labels)
    assert set(found) == {lab.id for lab in labels}
    assert found["hello"] == "Greetings" and found["thankyou"] == "Courtesy" and found["yes"] == "Everyday"


@pytest.mark.parametrize("text", ["not json", '{"labels": 3}', '["a", "b"]'])
def test_a_labels_file_without_categories_gives_none(tmp_path, text):
    path = tmp_path / "labels.json"
    path.write_text(text, encoding="utf-8")
    assert label_file_categories(path) == {}
    assert label_file_categories(tmp_path / "missing.json") == {} and label_file_categories(None) == {}


def test_custom_signs_take_their_pack_category_else_my_signs(tmp_path):
    path = tmp_path / "labels.json"
    path.write_text(json.dumps({"labels": [{"name": "one", "id": "0002", "category": "Numbers"},
                                           {"name": "hi", "id": "hi"}]}), encoding="utf-8")
    from_pack = CustomSign("stethoscope", category="Clinic", pack="health-pack")
    own = CustomSign("wave")
    labels = [Label("one", "", "0002"), Label("hi", "", "hi"), from_pack.label, own.label]
    found = sign_categories(labels, path, [from_pack, own])
    assert found == {"0002": "Numbers", from_pack.label.id: "Clinic", own.label.id: MY_SIGNS}


def test_the_training_command_writes_the_categories_the_bundled_labels_carry():
    """A retrained model keeps its categories: signdesk train writes them from category_for."""
    import json

    from signdesk.practice.categories import CATEGORY_KEY, category_for
    from signdesk.recognizer import bundled_models
    from signdesk.train.run import label_entries

    class Named:
        def label_info(self, label):
            return {"name": label, "gloss": label, "id": label}

    for info in bundled_models():
        doc = json.loads(info.labels.read_text(encoding="utf-8"))
        shipped = {e["id"]: e.get(CATEGORY_KEY) for e in doc["labels"]}
        assert all(shipped.values()), f"{info.name}: a sign without a category"
        written = {e["id"]: e.get(CATEGORY_KEY) for e in label_entries(list(shipped), [Named()], doc["language"])}
        assert written == shipped == {i: category_for(doc["language"], i) for i in shipped}
