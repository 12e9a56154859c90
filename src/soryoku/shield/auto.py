"""``import soryoku.shield.auto`` as an application's first line installs every sink hook."""

from soryoku.shield.install import install

install()
