"""fake safetensors"""
