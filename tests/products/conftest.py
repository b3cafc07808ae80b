import pytest

from products.factories import ProductFactory, leaf_category


@pytest.fixture
def tee(owner):
    """A draft T-shirt without SKUs in the owner's shop."""
    return ProductFactory(
        shop=owner.shop, title="纯棉短袖T恤", category=leaf_category(), status=0, sku=None
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded images and stashed import files go to a throwaway directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
