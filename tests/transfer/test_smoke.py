from tests.transfer.network import lifecycle


def test_lawful_path(net):
    m = lifecycle(net)
    assert m.status == "treated"
    assert m.signatures.count() == 5
