"""The README's reference stays true to the option table and the traits."""

from pathlib import Path

from ipython_gradients.magics import GradientMagics
from ipython_gradients.options import MAGICS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_option_is_documented():
    for spec in MAGICS.values():
        for option in spec.options:
            assert f"`{option.flag}" in README, option.flag


def test_every_trait_is_documented_with_its_default():
    for name, trait in GradientMagics.class_traits(config=True).items():
        assert f"| `{name}` | `{trait.default()!r}` |" in README, name


def test_quick_start_has_the_seed_command_and_the_test_command():
    assert '--ext ipython_gradients -c "%deriv x**2 --at -0.5,0.5,0"' in README
    assert ".venv/bin/python -m pytest" in README
    assert ".venv/bin/python -m pytest" in (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
