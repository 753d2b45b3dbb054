"""fake accelerate"""
